// The D1 binding's host side (`env.DB`; the JS classes are runtime/webapi/js/d1.js).
//
// Ops (JSON args → JSON reply; blobs travel as buffers in, arrays of numbers out, as D1 does):
//   query {sql, params, shape?}  → {columns, rows, meta}      one statement
//         with shape "result":      {success, meta, results}  the D1Result all()/run() return,
//                                   meta with served_by "blaze", results as row objects
//   batch {statements:[{sql, params}], shape?} → [one of the above per statement]   one
//                                   transaction
//   exec  {sql}                  → {count, duration}          statements without parameters
//   dump  {}                     → {$buffer: 0}               the database file's bytes
// Rows (`rows` / `results`) travel as an engine::BindingRows table, {"$rows": i} in the JSON:
// arrays of values, or objects for shape "result".
// meta: {duration, changes, last_row_id, changed_db, size_after, rows_read, rows_written}.
// Errors carry SQLite's message plus its code name, as Cloudflare's do ("no such table: x:
// SQLITE_ERROR"); d1.js prefixes "D1_ERROR: " / "D1_EXEC_ERROR: ".
//
// Threads: any core may call; each call borrows a connection from the binding's pool (one per
// concurrently calling core), so cores read in parallel (WAL) and writers queue on SQLite's
// busy timeout. Each statement runs under the database's statement time limit. A connection
// keeps its prepared statements (one per SQL text, LRU) and its last measured database size.
#pragma once

#include <memory>

#include "blaze/runtime/engine/binding.h"
#include "blaze/storage/d1/d1_service.h"

namespace blaze::bindings {

std::shared_ptr<engine::BindingService> NewD1Binding(std::shared_ptr<d1::D1Service> d1,
                                                     d1::DatabaseInfo db);

}  // namespace blaze::bindings
