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

  async function call(handle, op, args, prefix = 'D1_ERROR') {
    try {
      return await lib.bindings.call(handle, op, args);
    } catch (e) {
      throw d1Error(prefix, e);
    }
  }

  function checkParam(value) {
    if (value === null || typeof value === 'number' || typeof value === 'string' ||
        typeof value === 'boolean' || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      return value;
    }
    const type = typeof value;
    const shown = type === 'object' ? Object.prototype.toString.call(value) : String(value);
    throw d1Error('D1_TYPE_ERROR', new Error(`Type '${type}' not supported for value '${shown}'`));
  }

  function rowsAsObjects(result) {
    const { columns, rows } = result;
    return rows.map((row) => {
      const obj = {};
      for (let i = 0; i < columns.length; i++) obj[columns[i]] = row[i];
      return obj;
    });
  }

  function meta(m) {
    return { served_by: 'blaze', ...m };
  }

  function d1Result(result) {
    return { success: true, meta: meta(result.meta), results: rowsAsObjects(result) };
  }

  class D1PreparedStatement {
    #handle;
    #sql;
    #params;
    static {
      lib.d1StatementParts = (s) => ({ handle: s.#handle, sql: s.#sql, params: s.#params });
    }
    constructor(handle, sql, params = []) {
      this.#handle = handle;
      this.#sql = String(sql);
      this.#params = params;
    }

    bind(...values) {
      return new D1PreparedStatement(this.#handle, this.#sql, values.map(checkParam));
    }

    async #run() {
      return call(this.#handle, 'query', { sql: this.#sql, params: this.#params });
    }

    async first(column) {
      const result = await this.#run();
      if (result.rows.length === 0) return null;
      const row = rowsAsObjects(result)[0];
      if (column === undefined) return row;
      const name = String(column);
      if (!Object.prototype.hasOwnProperty.call(row, name)) {
        // As workerd: the cause says less than the message.
        throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${name})`,
          { cause: new Error('Column not found') });
      }
      return row[name];
    }

    async all() { return d1Result(await this.#run()); }
    async run() { return d1Result(await this.#run()); }

    async raw(options = undefined) {
      const result = await this.#run();
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
      const list = statements.map((s) => {
        if (!(s instanceof D1PreparedStatement)) {
          throw new TypeError('D1_ERROR: batch() expects an array of prepared statements');
        }
        const { sql, params } = lib.d1StatementParts(s);
        return { sql, params };
      });
      const results = await call(this.#handle, 'batch', { statements: list });
      return results.map(d1Result);
    }

    async exec(sql) {
      return call(this.#handle, 'exec', { sql: String(sql) }, 'D1_EXEC_ERROR');
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
