// bench/bindings' workerd peer: the /d1 workload on workerd's own Durable Object SQL
// (ctx.storage.sql). The front worker forwards every request to one object, idFromName("games");
// the object holds the same 10,000-row games table as ../worker (same rows, same ids, same
// (date, status) index), created once on first use, and answers /d1 with the same query and the
// same JSON body as the D1 worker.
import { DurableObject } from 'cloudflare:workers';

const kDates = 50;
const kQuery = 'SELECT * FROM games WHERE date = ? AND status = ? LIMIT 10';

export class Games extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.seed());
  }

  // Idempotent: a table that already holds the rows is left alone.
  seed() {
    this.sql.exec('CREATE TABLE IF NOT EXISTS games (id INTEGER PRIMARY KEY, date TEXT NOT NULL, status TEXT NOT NULL, home TEXT, away TEXT, home_score INTEGER, away_score INTEGER)');
    this.sql.exec('CREATE INDEX IF NOT EXISTS games_date_status ON games (date, status)');
    if (this.count() > 0) return;
    const statuses = ['final', 'live', 'scheduled'];
    this.ctx.storage.transactionSync(() => {
      for (let i = 0; i < 10000; i++) {
        const day = String(1 + (i % kDates) % 28).padStart(2, '0');
        const month = String(3 + Math.floor((i % kDates) / 28)).padStart(2, '0');
        this.sql.exec('INSERT INTO games (date, status, home, away, home_score, away_score) VALUES (?, ?, ?, ?, ?, ?)',
          `2026-${month}-${day}`, statuses[i % 3], `H${i % 30}`, `A${(i + 7) % 30}`, i % 11, i % 7);
      }
    });
  }

  count() { return this.sql.exec('SELECT count(*) AS n FROM games').one().n; }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/seed') return Response.json({ rows: this.count() });
    if (url.pathname === '/d1') {
      return Response.json(this.sql.exec(kQuery, '2026-03-05', 'final').toArray());
    }
    return new Response('bench-bindings');
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== '/d1' && url.pathname !== '/seed') return new Response('bench-bindings');
    return env.GAMES.get(env.GAMES.idFromName('games')).fetch(request);
  },
};
