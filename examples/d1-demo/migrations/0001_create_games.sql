-- Migration number: 0001 	 2025-01-01T00:00:00.000Z
CREATE TABLE games (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  league TEXT NOT NULL,
  date TEXT NOT NULL,
  status TEXT NOT NULL,
  home TEXT NOT NULL,
  away TEXT NOT NULL,
  home_score INTEGER,
  away_score INTEGER
);
CREATE INDEX idx_games_date_status ON games(date, status);
