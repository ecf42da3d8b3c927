// Many requests (on several cores under blaze) writing the same D1 row and the same KV key.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/__ready') return new Response('ok');
    if (url.pathname === '/setup') {
      await env.DB.exec('CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      await env.DB.exec('INSERT OR REPLACE INTO counter (id, n) VALUES (1, 0)');
      return new Response('ok');
    }
    if (url.pathname === '/write') {
      const who = url.searchParams.get('id');
      const r = await env.DB.prepare('UPDATE counter SET n = n + 1 WHERE id = 1').run();
      await env.KV.put('last-writer', who, { metadata: { who } });
      const seen = await env.KV.getWithMetadata('last-writer');
      // The value and its metadata are written together: a reader never sees a mix.
      return Response.json({ changes: r.meta.changes, coherent: seen.value === seen.metadata.who });
    }
    if (url.pathname === '/state') {
      return Response.json({
        n: await env.DB.prepare('SELECT n FROM counter WHERE id = 1').first('n'),
        last: await env.KV.get('last-writer'),
      });
    }
    return new Response('no route', { status: 404 });
  },
};
