// KvService's private state and statement helpers, shared by its three files: kv_service.cc
// (opening, namespaces, per-thread connections), kv_service_reads.cc (get, list, scan) and
// kv_service_writes.cc (put, delete, purge). Not included elsewhere.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "blaze/storage/kv/kv_service.h"
#include "blaze/storage/kv/read_cache.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::kv {

// Shared by every thread: the namespace's write generation and whether it was deleted.
struct KvService::NamespaceState {
  std::uint64_t incarnation = 0;
  std::atomic<std::uint64_t> generation{0};
  std::atomic<bool> deleted{false};
};

// One thread's connection to one namespace.
struct KvService::Handle {
  std::shared_ptr<NamespaceState> state;
  std::unique_ptr<sqlite::Database> db;
  std::int64_t data_version = 0;
  Clock::MonoTime next_external_check{};
  std::int64_t next_purge_s = 0;
};

struct KvService::ThreadState {
  explicit ThreadState(std::size_t cache_bytes) : cache(cache_bytes) {}
  std::unordered_map<std::string, Handle> handles;
  ReadCache cache;
};

inline Status Check(sqlite::Database& db, int rc) {
  if (rc == SQLITE_OK) return Ok();
  return Fail(db.LastError(rc));
}

// Binds without copying: the bytes must outlive the statement's step.
inline Status BindText(sqlite::Database& db, sqlite::Statement& stmt, int i,
                       std::string_view text) {
  return Check(
      db, sqlite3_bind_text64(stmt.raw(), i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8));
}

}  // namespace blaze::kv
