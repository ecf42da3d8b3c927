// scores-api: routes on the URL path, reads query parameters, and fetches from itself.
import { games, winner } from './games.js';

const routes = [
  ['GET', /^\/$/, index],
  ['GET', /^\/health$/, () => Response.json({ status: 'ok' })],
  ['GET', /^\/api\/games$/, listGames],
  ['GET', /^\/api\/games\/(\d+)$/, getGame],
  ['GET', /^\/api\/standings$/, standings],
];

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    for (const [method, pattern, handler] of routes) {
      const match = url.pathname.match(pattern);
      if (match && request.method === method) return handler({ request, env, url, params: match.slice(1) });
    }
    return Response.json({ error: `no route for ${request.method} ${url.pathname}` }, { status: 404 });
  },
};

function index({ env, url }) {
  return Response.json({
    site: env.SITE_NAME,
    endpoints: ['/api/games?league=nfl', '/api/games/1', '/api/standings', '/health'].map((p) => url.origin + p),
  });
}

function listGames({ url }) {
  const league = url.searchParams.get('league');
  const list = games.filter((g) => !league || g.league === league);
  return Response.json({ count: list.length, games: list.map((g) => ({ ...g, winner: winner(g) })) });
}

function getGame({ params }) {
  const game = games.find((g) => g.id === Number(params[0]));
  if (!game) return Response.json({ error: 'no such game' }, { status: 404 });
  return Response.json({ ...game, winner: winner(game) });
}

// Builds standings from the games list, fetched over HTTP from this same worker.
async function standings({ url }) {
  const res = await fetch(new URL('/api/games', url.origin));
  const { games: list } = await res.json();
  const wins = {};
  for (const g of list) {
    const w = winner(g);
    if (w) wins[w] = (wins[w] || 0) + 1;
  }
  const table = Object.entries(wins).map(([team, n]) => ({ team, wins: n })).sort((a, b) => b.wins - a.wins || a.team.localeCompare(b.team));
  return Response.json({ source: res.url, table });
}
