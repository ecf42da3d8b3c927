// Main module of a multi-file graph: main.js -> lib/a.js -> ../shared/b.js, plus lib/c.js which
// also imports shared/b.js (b must be evaluated once), a re-export and a dynamic import.
import describeA, { aName, callB } from './lib/a.js';
import { cName, counterSeenByC } from './lib/c.js';
import * as shared from './shared/index.js';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/graph':
        return Response.json({
          a: describeA(),
          aName,
          b: callB(2, 3),
          cName,
          evaluations: shared.evaluations(),
          counterSeenByC,
          reexported: shared.bName,
          namespaceKeys: Object.keys(shared).sort(),
        });
      case '/dynamic': {
        const lazy = await import('./lib/lazy.js');
        return Response.json({ lazy: lazy.default, evaluations: shared.evaluations() });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
