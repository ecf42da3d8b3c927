// Sends `path` (with ?key=k<n>, n cycling over `keys`) to `origin` with `concurrency` requests
// in flight for `seconds`; prints one JSON line: requests, ops/s, p50/p99 ms, response MB/s,
// errors.
const [origin, path, seconds, concurrency, keys] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
const lat = [];
let bytes = 0, errors = 0, n = 0;
async function loop() {
  while (Date.now() < deadline) {
    const key = `k${n++ % Number(keys)}`;
    const t0 = performance.now();
    try {
      const r = await fetch(`${origin}${path}?key=${key}`, { signal: AbortSignal.timeout(10000) });
      const b = await r.arrayBuffer();
      if (r.status !== 200) errors++;
      bytes += b.byteLength;
    } catch {
      errors++;
    }
    lat.push(performance.now() - t0);
  }
}
const start = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, loop));
const elapsed = (performance.now() - start) / 1000;
lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] : 0);
console.log(JSON.stringify({ requests: lat.length, ops: lat.length / elapsed, p50: pct(0.5),
  p99: pct(0.99), responseMBps: bytes / elapsed / 1e6, errors }));
