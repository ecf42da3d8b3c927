-- A few real results (NFL, 2024-12-15) to play with.
INSERT INTO games (league, date, status, home, away, home_score, away_score) VALUES
  ('nfl', '2024-12-15', 'final', 'Kansas City Chiefs', 'Cleveland Browns', 21, 7),
  ('nfl', '2024-12-15', 'final', 'New York Giants', 'Baltimore Ravens', 14, 35),
  ('nfl', '2024-12-15', 'final', 'Cincinnati Bengals', 'Tennessee Titans', 37, 27),
  ('nfl', '2024-12-15', 'final', 'Houston Texans', 'Miami Dolphins', 20, 12),
  ('nfl', '2024-12-15', 'final', 'Detroit Lions', 'Buffalo Bills', 42, 48),
  ('nfl', '2024-12-15', 'final', 'Philadelphia Eagles', 'Pittsburgh Steelers', 27, 13),
  ('mlb', '2025-06-04', 'live', 'New York Yankees', 'Cleveland Guardians', 3, 2),
  ('mlb', '2025-06-04', 'final', 'Los Angeles Dodgers', 'New York Mets', 6, 5);
