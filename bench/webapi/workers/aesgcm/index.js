// AES-GCM (128-bit key) encryption of a 1 MiB buffer made once at module scope, per request.
// The key is imported on the first request (no top-level await in a worker module).
const data = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
const iv = new Uint8Array(12).fill(1); // fixed IV: a benchmark, never do this with real data
let key = null;
export default {
  async fetch() {
    key ??= crypto.subtle.importKey('raw', new Uint8Array(16).fill(9), 'AES-GCM', false, ['encrypt']);
    const out = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key, data);
    return new Response(`encrypted ${out.byteLength} bytes`);
  },
};
