// bench/http json: parses the URL, reads the query and returns a 20-field object (some fields
// nested) derived from it. The same file runs on Blaze, workerd and wrangler dev; the body depends
// only on the path and query (no host, port, time or randomness), so every peer returns the same
// bytes for the same request and run.sh compares them.
//
// run.sh requests /api/v1/teams/lakers/games?season=2026&limit=25&sort=desc&tz=America%2FLos_Angeles
export default {
  fetch(request) {
    const url = new URL(request.url);
    const q = url.searchParams;
    const segments = url.pathname.split("/").filter((s) => s.length > 0);
    const season = Number.parseInt(q.get("season") ?? "2026", 10);
    const limit = Math.min(Number.parseInt(q.get("limit") ?? "10", 10), 100);
    const team = segments[3] ?? "unknown";
    return Response.json({
      ok: true,
      version: segments[1] ?? "v0",
      resource: segments[2] ?? null,
      team,
      teamSlug: team.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      collection: segments[4] ?? null,
      path: url.pathname,
      depth: segments.length,
      season,
      seasonLabel: `${season - 1}-${String(season % 100).padStart(2, "0")}`,
      limit,
      sort: q.get("sort") === "asc" ? "asc" : "desc",
      timezone: q.get("tz") ?? "UTC",
      params: Object.fromEntries(q),
      paramCount: [...q.keys()].length,
      page: { limit, offset: 0, next: `${url.pathname}?season=${season}&offset=${limit}` },
      range: { from: `${season - 1}-10-01`, to: `${season}-06-30` },
      tags: segments.map((s, i) => ({ i, s, len: s.length })),
      links: { self: url.pathname + url.search, schedule: `/api/v1/teams/${team}/schedule` },
      checksum: [...url.pathname + url.search].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7),
    });
  },
};
