// D1 binding scenario: every method of env.DB, the type mapping, meta and error shapes.
const kSchema = `CREATE TABLE IF NOT EXISTS teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, rating REAL, logo BLOB, note TEXT)`;

function describe(e) {
  return { name: e.name, message: e.message, cause: e.cause ? String(e.cause.message ?? e.cause) : null };
}

async function attempt(fn) {
  try { return { ok: await fn() }; } catch (e) { return { error: describe(e) }; }
}

const routes = {
  async '/reset'(env) {
    await env.DB.exec('DROP TABLE IF EXISTS teams');
    return env.DB.exec(kSchema);
  },
  async '/exec-multi'(env) {
    return env.DB.exec('CREATE TABLE IF NOT EXISTS t1 (a);\nINSERT INTO t1 VALUES (1);\nINSERT INTO t1 VALUES (2)');
  },
  async '/insert'(env) {
    const r = await env.DB.prepare('INSERT INTO teams (name, rating, logo, note) VALUES (?1, ?2, ?3, ?4)')
      .bind('Cardinals', 91.5, new Uint8Array([1, 2, 255]), null).run();
    return r;
  },
  async '/insert-more'(env) {
    const stmt = env.DB.prepare('INSERT INTO teams (name, rating) VALUES (?, ?)');
    return env.DB.batch([stmt.bind('Cubs', 80), stmt.bind('Reds', 77.25)]);
  },
  async '/all'(env) {
    return env.DB.prepare('SELECT id, name, rating, logo, note FROM teams ORDER BY id').all();
  },
  async '/types'(env) {
    const r = await env.DB.prepare('SELECT logo, typeof(logo) AS t FROM teams WHERE id = 1').first();
    return { logoIsArray: Array.isArray(r.logo), logoIsArrayBuffer: r.logo instanceof ArrayBuffer,
      logoCtor: r.logo?.constructor?.name, logo: Array.from(new Uint8Array(r.logo instanceof ArrayBuffer ? r.logo : (Array.isArray(r.logo) ? r.logo : []))), raw: Array.isArray(r.logo) ? r.logo : null, t: r.t };
  },
  async '/first'(env) {
    return {
      row: await env.DB.prepare('SELECT name, rating FROM teams WHERE name = ?').bind('Cubs').first(),
      col: await env.DB.prepare('SELECT name, rating FROM teams WHERE name = ?').bind('Cubs').first('rating'),
      none: await env.DB.prepare('SELECT name FROM teams WHERE name = ?').bind('Nope').first(),
      noneCol: await env.DB.prepare('SELECT name FROM teams WHERE name = ?').bind('Nope').first('name'),
      badCol: await attempt(() => env.DB.prepare('SELECT name FROM teams LIMIT 1').first('zzz')),
    };
  },
  async '/raw'(env) {
    const s = env.DB.prepare('SELECT id, name FROM teams ORDER BY id LIMIT 2');
    return { raw: await s.raw(), withNames: await s.raw({ columnNames: true }) };
  },
  async '/bools'(env) {
    return env.DB.prepare('SELECT ?1 AS t, ?2 AS f, ?3 AS big, ?4 AS neg, ?5 AS txt').bind(true, false, 2 ** 40, -3.5, 'x').first();
  },
  async '/errors'(env) {
    return {
      noTable: await attempt(() => env.DB.prepare('SELECT * FROM nope').all()),
      syntax: await attempt(() => env.DB.prepare('SELEC 1').all()),
      constraint: await attempt(() => env.DB.prepare('INSERT INTO teams (name) VALUES (?)').bind('Cubs').run()),
      undef: await attempt(() => env.DB.prepare('SELECT ?').bind(undefined).all()),
      object: await attempt(() => env.DB.prepare('SELECT ?').bind({ a: 1 }).all()),
      tooFew: await attempt(() => env.DB.prepare('SELECT ?1, ?2').bind(1).all()),
      execBad: await attempt(() => env.DB.exec('SELECT * FROM nope')),
      empty: await attempt(() => env.DB.prepare('').all()),
    };
  },
  async '/batch-rollback'(env) {
    const before = await env.DB.prepare('SELECT count(*) AS n FROM teams').first('n');
    const err = await attempt(() => env.DB.batch([
      env.DB.prepare('INSERT INTO teams (name) VALUES (?)').bind('Brewers'),
      env.DB.prepare('INSERT INTO teams (name) VALUES (?)').bind('Cubs'),
    ]));
    const after = await env.DB.prepare('SELECT count(*) AS n FROM teams').first('n');
    return { before, after, err };
  },
  async '/named'(env) {
    return env.DB.prepare('SELECT ?1 AS a, ?1 AS b, ?2 AS c').bind('x', 'y').first();
  },
  async '/dump-kind'(env) {
    return attempt(async () => { const d = await env.DB.dump(); return { isAB: d instanceof ArrayBuffer, size: d.byteLength > 0 }; });
  },
};

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === '/__ready') return new Response('ok');
    const route = routes[path];
    if (!route) return new Response('no route', { status: 404 });
    try {
      return Response.json(await route(env));
    } catch (e) {
      return Response.json({ thrown: describe(e) }, { status: 500 });
    }
  },
};
