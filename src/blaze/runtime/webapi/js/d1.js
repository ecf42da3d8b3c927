// d1.js: the D1 binding (`env.DB`): D1Database, D1PreparedStatement, with Cloudflare's result
// shapes, type mapping and error messages (pinned against wrangler dev in
// tests/workers/scenarios/d1). The host side is bindings/d1_binding.cc (ops query, batch,
// exec, dump; see there for the wire format).
//   JS → SQLite: null → NULL, number → INTEGER or REAL, boolean → 1/0, string → TEXT,
//   ArrayBuffer / views → BLOB; anything else (undefined, objects) is a D1_TYPE_ERROR at bind().
//   SQLite → JS: INTEGER/REAL → number, TEXT → string, NULL → null, BLOB → Array of numbers.
(function () {
  'use strict';
  const host = globalThis.__blazeHost;
  const lib = host.lib;

  function d1Error(prefix, error) {
    const message = error && error.message !== undefined ? error.message : String(error);
    return new Error(`${prefix}: ${message}`, { cause: new Error(message) });
  }

  const kRethrowAs = {
    D1_ERROR: (e) => { throw d1Error('D1_ERROR', e); },
    D1_EXEC_ERROR: (e) => { throw d1Error('D1_EXEC_ERROR', e); },
    D1_DUMP_ERROR: (e) => { throw d1Error('D1_DUMP_ERROR', e); },
  };

  // `binary`: whether args hold ArrayBuffers or views (then they travel as buffers).
  function call(handle, op, args, prefix = 'D1_ERROR', binary = false, decode = undefined) {
    return binary ? lib.bindings.call(handle, op, args, kRethrowAs[prefix], decode)
      : lib.bindings.callPlain(handle, op, args, kRethrowAs[prefix], decode);
  }

  // A query's reply in shape "compact" (bindings/d1_binding.h): the meta's values as a JSON
  // array, the rows the first table, made objects here.
  function d1ResultOf(reply) {
    const m = JSON.parse(reply[0]);
    return {
      success: true,
      meta: { served_by: 'blaze', changed_db: m[0] === 1, changes: m[1], duration: m[2],
        last_row_id: m[3], rows_read: m[4], rows_written: m[5], size_after: m[6] },
      results: lib.bindings.rowObjects(reply[3][0], reply[2][0]),
    };
  }

  function isBinary(value) { return value instanceof ArrayBuffer || ArrayBuffer.isView(value); }

  function checkParam(value) {
    if (value === null || typeof value === 'number' || typeof value === 'string' ||
        typeof value === 'boolean' || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      return value;
    }
    const type = typeof value;
    const shown = type === 'object' ? Object.prototype.toString.call(value) : String(value);
    throw d1Error('D1_TYPE_ERROR', new Error(`Type '${type}' not supported for value '${shown}'`));
  }

  class D1PreparedStatement {
    #handle;
    #sql;
    #params;
    #binary;
    static {
      lib.d1StatementParts = (s) => ({ handle: s.#handle, sql: s.#sql, params: s.#params,
        binary: s.#binary });
    }
    constructor(handle, sql, params = [], binary = false) {
      this.#handle = handle;
      this.#sql = String(sql);
      this.#params = params;
      this.#binary = binary;
    }

    bind(...values) {
      const params = values.map(checkParam);
      return new D1PreparedStatement(this.#handle, this.#sql, params, params.some(isBinary));
    }

    // The D1Result ({success, meta, results} with rows as objects) by default; with shape
    // 'arrays', {columns, rows, meta} with rows as arrays.
    #run(shape = 'compact') {
      return call(this.#handle, 'query', { sql: this.#sql, params: this.#params, shape },
        'D1_ERROR', this.#binary, shape === 'compact' ? d1ResultOf : undefined);
    }

    async first(column) {
      const { results } = await this.#run();
      if (results.length === 0) return null;
      const row = results[0];
      if (column === undefined) return row;
      const name = String(column);
      if (!Object.prototype.hasOwnProperty.call(row, name)) {
        // As workerd: the cause says less than the message.
        throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${name})`,
          { cause: new Error('Column not found') });
      }
      return row[name];
    }

    all() { return this.#run(); }
    run() { return this.#run(); }

    async raw(options = undefined) {
      const result = await this.#run('arrays');
      if (options && options.columnNames) return [result.columns, ...result.rows];
      return result.rows;
    }
  }
  lib.tagClass(D1PreparedStatement, 'D1PreparedStatement');

  class D1Database {
    #handle;
    constructor(handle) { this.#handle = handle; }

    prepare(sql) { return new D1PreparedStatement(this.#handle, sql); }

    async batch(statements) {
      if (!Array.isArray(statements)) {
        throw new TypeError('D1_ERROR: batch() expects an array of prepared statements');
      }
      let anyBinary = false;
      const list = statements.map((s) => {
        if (!(s instanceof D1PreparedStatement)) {
          throw new TypeError('D1_ERROR: batch() expects an array of prepared statements');
        }
        const { sql, params, binary } = lib.d1StatementParts(s);
        anyBinary ||= binary;
        return { sql, params };
      });
      return await call(this.#handle, 'batch', { statements: list, shape: 'result' }, 'D1_ERROR',
        anyBinary);
    }

    async exec(sql) {
      return await call(this.#handle, 'exec', { sql: String(sql) }, 'D1_EXEC_ERROR');
    }

    async dump() {
      const bytes = await call(this.#handle, 'dump', {}, 'D1_DUMP_ERROR');
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    }

    // Sessions (read replication) collapse to the one local database.
    withSession() {
      const db = this;
      return {
        prepare: (sql) => db.prepare(sql),
        batch: (statements) => db.batch(statements),
        getBookmark: () => null,
      };
    }
  }
  lib.tagClass(D1Database, 'D1Database');

  lib.bindings.register('d1', (handle) => new D1Database(handle));
})();
