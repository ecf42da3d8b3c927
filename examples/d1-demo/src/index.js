// scores-demo: the D1 demo's worker. Reads the `games` table of the `blaze-db` database
// (migrations/ and seed.sql make it) through the DB binding.
//   GET /health                         {status, games}: the database answers
//   GET /api/games?date=D&status=S      up to 10 games of that date and status
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/health') {
      const row = await env.DB.prepare('SELECT count(*) AS n FROM games').first();
      return Response.json({ status: 'ok', games: row.n });
    }
    if (url.pathname === '/api/games') {
      const date = url.searchParams.get('date') ?? '2024-12-15';
      const status = url.searchParams.get('status') ?? 'final';
      const { results } = await env.DB
        .prepare('SELECT * FROM games WHERE date = ? AND status = ? LIMIT 10')
        .bind(date, status)
        .all();
      return Response.json({ date, status, games: results });
    }
    return Response.json({ error: `no route for ${url.pathname}` }, { status: 404 });
  },
};
