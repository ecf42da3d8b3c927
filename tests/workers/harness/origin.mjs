// A small HTTP origin on 127.0.0.1 that scenario workers call with outbound fetch().
//
// Routes:
//   GET  /hello           200 "hello from origin", X-Origin: yes, two Set-Cookie headers
//   POST /echo            200 JSON {method, contentType, body, custom}
//   GET  /redirect        302 Location: /hello
//   GET  /notify/<name>   204; records <name> so a test can await it with `seen(name)`
//   GET  /slow            200 "slow" after 3 s (for timeouts and aborts)
//   GET  /wait/<name>     200 "released" once /notify/<name> was called, "timeout" after 5 s
//   GET  /gated/<name>    200, streamed: "first\n" at once, then "second\n" once /notify/<name> was
//                         called ("timeout\n" after 5 s), for a body that must reach the worker
//                         chunk by chunk
//   anything else         404
// `start()` listens on port 0; `port` is then set. Every request is recorded in `requests`.

import { createServer } from 'node:http';

export class Origin {
  constructor() {
    this.port = 0;
    this.requests = [];
    this.waiters = new Map(); // name -> [resolve]
    this.notified = new Set();
    this.server = createServer((req, res) => this.handle(req, res));
  }

  start() {
    return new Promise((resolveStart) => {
      this.server.listen(0, '127.0.0.1', () => {
        this.port = this.server.address().port;
        resolveStart(this);
      });
    });
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  // Resolves when the worker called /notify/<name>; rejects after `timeoutMs`.
  seen(name, timeoutMs = 5000) {
    if (this.notified.has(name)) return Promise.resolve();
    return new Promise((resolveSeen, reject) => {
      const timer = setTimeout(() => reject(new Error(`origin never saw /notify/${name}`)), timeoutMs);
      const list = this.waiters.get(name) || [];
      list.push(() => { clearTimeout(timer); resolveSeen(); });
      this.waiters.set(name, list);
    });
  }

  handle(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      this.route(req, res, body);
    });
  }

  route(req, res, body) {
    if (req.method === 'GET' && req.url === '/hello') {
      res.setHeader('X-Origin', 'yes');
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('Content-Type', 'text/plain');
      res.end('hello from origin');
    } else if (req.method === 'POST' && req.url === '/echo') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({
        method: req.method,
        contentType: req.headers['content-type'] ?? null,
        custom: req.headers['x-custom'] ?? null,
        body,
      }));
    } else if (req.url === '/redirect') {
      res.statusCode = 302;
      res.setHeader('Location', '/hello');
      res.end('moved');
    } else if (req.method === 'GET' && req.url === '/slow') {
      const timer = setTimeout(() => res.end('slow'), 3000);
      res.on('close', () => clearTimeout(timer));
    } else if (req.method === 'GET' && req.url.startsWith('/wait/')) {
      this.seen(req.url.slice('/wait/'.length)).then(() => res.end('released'), () => res.end('timeout'));
    } else if (req.method === 'GET' && req.url.startsWith('/gated/')) {
      res.setHeader('Content-Type', 'text/plain');
      res.write('first\n');
      this.seen(req.url.slice('/gated/'.length)).then(() => res.end('second\n'), () => res.end('timeout\n'));
    } else if (req.url.startsWith('/notify/')) {
      const name = req.url.slice('/notify/'.length);
      this.notified.add(name);
      for (const wake of this.waiters.get(name) || []) wake();
      this.waiters.delete(name);
      res.statusCode = 204;
      res.end();
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  }
}
