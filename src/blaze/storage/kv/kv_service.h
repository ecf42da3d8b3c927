// KvService: the Workers KV namespaces of one data directory. Each namespace is a SQLite file
// `<data-dir>/kv/<id>.sqlite` (table `kv`: key TEXT PRIMARY KEY, value BLOB, expiration INTEGER
// NULL, metadata TEXT NULL); the catalog (id ↔ title, creation time) is the `kv_namespaces`
// table of `<data-dir>/control.db`. The KV binding (bindings/kv_binding), `blaze dev` and the
// CLI's `--local` path all go through this class. Limits and messages: kv_limits.h.
//
// Threads: one KvService is shared by every core. Each thread gets its own connection per
// namespace (WAL: readers never wait for the writer) and its own ReadCache. Every namespace has
// a write generation; a write bumps it after committing, and a cached read is served only while
// its namespace's generation is the one seen before the read, so a write on any core is seen by
// every core's next read. Writes made by another process (a `blaze kv ... --local` beside a
// running `blaze dev`) are noticed through SQLite's data_version, checked at most every
// `external_write_check` per thread and namespace, and then also bump the generation.
// Expired keys are never returned (by Get or List); they are purged on later writes.
//
// Errors: InvalidArgument (limits, bad id or title), NotFound (unknown namespace, naming how to
// create it), AlreadyExists (title taken), and the storage errors of storage/sqlite.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/kv/kv_limits.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::kv {

struct KvOptions {
  std::string data_dir;
  fs::Env* env = nullptr;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  const char* vfs = nullptr;  // SQLite VFS for namespace files (nullptr = default)
  std::size_t cache_bytes_per_thread = 32 << 20;
  std::size_t max_cached_value_bytes = 1 << 20;  // larger values are always read from disk
  // How often a thread looks for writes made by other processes (0: before every read).
  std::chrono::milliseconds external_write_check{1000};
};

struct NamespaceInfo {
  std::string id;  // 32 lowercase hex digits, as Cloudflare's; or a wrangler.toml `id`
  std::string title;
  std::string created_at;  // ISO 8601 UTC
};

struct KvEntry {
  std::string value;                       // bytes
  std::optional<std::int64_t> expiration;  // seconds since the epoch
  std::optional<std::string> metadata;     // JSON text
};

struct GetOptions {
  std::optional<std::int64_t> cache_ttl;  // seconds a cached read may be served (default 60)
  Op op = Op::kGet;                       // for error messages (GET_BULK from bulk reads)
};

struct PutOptions {
  std::optional<std::int64_t> expiration;      // seconds since the epoch
  std::optional<std::int64_t> expiration_ttl;  // seconds from now; wins over `expiration`
  std::optional<std::string> metadata;         // JSON text
};

struct KvWrite {
  std::string key;
  std::string value;
  PutOptions options;
};

struct ListOptions {
  std::string prefix;
  std::int64_t limit = 0;  // 0 or less: 1000
  std::string cursor;      // from a previous page
};

struct ListedKey {
  std::string name;
  std::optional<std::int64_t> expiration;
  std::optional<std::string> metadata;  // JSON text
};

struct ListPage {
  std::vector<ListedKey> keys;
  bool list_complete = true;
  std::string cursor;  // set when !list_complete
};

// Reads served from a core's cache (hits) and from disk (misses), since the service opened.
struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  double HitRate() const {
    return hits + misses == 0 ? 0.0
                              : static_cast<double>(hits) / static_cast<double>(hits + misses);
  }
};

class KvService {
 public:
  static Result<std::unique_ptr<KvService>> Open(const KvOptions& options);
  ~KvService();
  KvService(const KvService&) = delete;
  KvService& operator=(const KvService&) = delete;

  // --- namespaces ---
  Result<NamespaceInfo> CreateNamespace(const std::string& title);
  // With a known id: wrangler.toml's, or a namespace coming back from elsewhere.
  Result<NamespaceInfo> CreateNamespaceWithId(const std::string& title, const std::string& id);
  // The namespace with this id, created (titled by its id) if there is none: what `wrangler dev`
  // and `wrangler kv ... --local` do with any id.
  Result<NamespaceInfo> EnsureNamespace(const std::string& id);
  Result<std::vector<NamespaceInfo>> ListNamespaces();  // by title
  Result<std::optional<NamespaceInfo>> LookupNamespace(const std::string& id);
  Result<NamespaceInfo> FindNamespace(const std::string& id);  // NotFound for absence
  // Removes the catalog entry and the file; every core's next access sees it gone.
  Status DeleteNamespace(const std::string& id);
  std::string PathOf(const std::string& id) const;

  // --- keys (the namespace must exist: NotFound otherwise) ---
  // The live entry under `key`, or nullopt. Served from this thread's cache when allowed.
  Result<std::optional<KvEntry>> Get(const std::string& ns, std::string_view key,
                                     const GetOptions& options = {});
  Status Put(const std::string& ns, std::string_view key, std::string_view value,
             const PutOptions& options = {});
  // All or nothing: every write is checked first, then all are applied in one transaction.
  Status PutMany(const std::string& ns, const std::vector<KvWrite>& writes);
  Status Delete(const std::string& ns, std::string_view key);
  Status DeleteMany(const std::string& ns, const std::vector<std::string>& keys);
  Result<ListPage> List(const std::string& ns, const ListOptions& options);
  // Every live entry in key order (`kv export`). Stops at the first error `visit` returns.
  Status Scan(const std::string& ns,
              const std::function<Status(std::string_view key, const KvEntry& entry)>& visit);

  CacheStats cache_stats() const;
  const KvOptions& options() const { return options_; }

 private:
  struct NamespaceState;
  struct Handle;
  struct ThreadState;

  KvService(KvOptions options, std::unique_ptr<sqlite::Database> control);
  Result<NamespaceInfo> Insert(const std::string& title, const std::string& id);
  ThreadState& Local();
  Result<Handle*> HandleFor(const std::string& ns);
  Result<std::shared_ptr<NamespaceState>> StateOf(const std::string& ns);
  void NoticeExternalWrites(Handle& handle);
  Status WriteRows(Handle& handle, const std::vector<KvWrite>& writes, std::int64_t now_s);
  void Purge(Handle& handle, std::int64_t now_s);
  std::int64_t NowSeconds() const;

  KvOptions options_;
  const std::uint64_t instance_;  // tells this service's threads' states from another's

  std::mutex mu_;  // guards control_, states_ and next_incarnation_
  std::unique_ptr<sqlite::Database> control_;
  std::unordered_map<std::string, std::shared_ptr<NamespaceState>> states_;
  std::uint64_t next_incarnation_ = 1;

  std::mutex threads_mu_;  // guards threads_ (each ThreadState is used by its thread only)
  std::unordered_map<std::thread::id, std::unique_ptr<ThreadState>> threads_;

  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace blaze::kv
