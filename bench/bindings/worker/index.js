// bench/bindings worker: /seed fills a 10,000-row indexed games table and one KV key;
// /d1 runs the runbook's scoreboard query; /kv reads the key.
const kDates = 50;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/seed') {
      await env.DB.exec('DROP TABLE IF EXISTS games');
      await env.DB.exec('CREATE TABLE games (id INTEGER PRIMARY KEY, date TEXT NOT NULL, status TEXT NOT NULL, home TEXT, away TEXT, home_score INTEGER, away_score INTEGER)');
      await env.DB.exec('CREATE INDEX games_date_status ON games (date, status)');
      const insert = env.DB.prepare('INSERT INTO games (date, status, home, away, home_score, away_score) VALUES (?, ?, ?, ?, ?, ?)');
      const statuses = ['final', 'live', 'scheduled'];
      for (let chunk = 0; chunk < 10; chunk++) {
        const batch = [];
        for (let i = chunk * 1000; i < (chunk + 1) * 1000; i++) {
          const day = String(1 + (i % kDates) % 28).padStart(2, '0');
          const month = String(3 + Math.floor((i % kDates) / 28)).padStart(2, '0');
          batch.push(insert.bind(`2026-${month}-${day}`, statuses[i % 3], `H${i % 30}`, `A${(i + 7) % 30}`, i % 11, i % 7));
        }
        await env.DB.batch(batch);
      }
      await env.KV.put('scoreboard', JSON.stringify({ updated: '2026-05-01T00:00:00Z', games: 15 }));
      const n = await env.DB.prepare('SELECT count(*) AS n FROM games').first('n');
      return Response.json({ rows: n });
    }
    if (url.pathname === '/d1') {
      const { results } = await env.DB.prepare('SELECT * FROM games WHERE date = ? AND status = ? LIMIT 10')
        .bind('2026-03-05', 'final').all();
      return Response.json(results);
    }
    if (url.pathname === '/kv') {
      return new Response(await env.KV.get('scoreboard'), { headers: { 'content-type': 'application/json' } });
    }
    return new Response('bench-bindings');
  },
};
