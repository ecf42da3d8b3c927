// A few real final scores (ESPN scoreboards of 2024-12-15 and 2025-06-04).
export const games = [
  { id: 1, league: 'nfl', date: '2024-12-15', home: 'Kansas City Chiefs', away: 'Cleveland Browns', homeScore: 21, awayScore: 7 },
  { id: 2, league: 'nfl', date: '2024-12-15', home: 'New York Giants', away: 'Baltimore Ravens', homeScore: 14, awayScore: 35 },
  { id: 3, league: 'nfl', date: '2024-12-15', home: 'Cincinnati Bengals', away: 'Tennessee Titans', homeScore: 37, awayScore: 27 },
  { id: 4, league: 'nfl', date: '2024-12-15', home: 'Detroit Lions', away: 'Buffalo Bills', homeScore: 42, awayScore: 48 },
  { id: 5, league: 'mlb', date: '2025-06-04', home: 'Los Angeles Dodgers', away: 'New York Mets', homeScore: 6, awayScore: 5 },
  { id: 6, league: 'mlb', date: '2025-06-04', home: 'New York Yankees', away: 'Cleveland Guardians', homeScore: 3, awayScore: 2 },
];

export function winner(game) {
  return game.homeScore === game.awayScore ? null : game.homeScore > game.awayScore ? game.home : game.away;
}
