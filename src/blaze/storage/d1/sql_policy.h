// D1SqlPolicy: what users' SQL may do on a D1 database, as Cloudflare's D1 (and wrangler dev's
// local D1) allow it. Installed on every connection D1Service hands out
// (sqlite::Database::SetSqlPolicy), so it covers the worker binding, `blaze d1 execute`, remote
// exec and migrations alike.
//
// - No ATTACH or DETACH: either would let SQL open or create a file anywhere the server may
//   write (VACUUM INTO is an ATTACH too). Plain VACUUM's own ATTACH of a temporary database
//   (an empty file name) stays allowed.
// - PRAGMA only from D1's list: the schema readers (table_list, table_info, table_xinfo,
//   index_list, index_info, index_xinfo), foreign_key_check, quick_check, data_version,
//   optimize, and the per-connection switches foreign_keys, defer_foreign_keys,
//   case_sensitive_like, ignore_check_constraints, legacy_alter_table, recursive_triggers,
//   reverse_unordered_selects. Everything else (journal_mode, synchronous, writable_schema,
//   user_version, integrity_check, foreign_key_list, ...) fails with "not authorized", as in
//   wrangler 4 (tests/compat notes in d1/README.md).
#pragma once

namespace blaze::d1 {

// SQLite authorizer arguments (action code, first and second argument); true allows.
bool D1SqlPolicy(int action, const char* arg1, const char* arg2);

}  // namespace blaze::d1
