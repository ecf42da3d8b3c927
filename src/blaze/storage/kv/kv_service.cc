#include "blaze/storage/kv/kv_service.h"

#include <algorithm>
#include <cstdio>

#include "blaze/base/log.h"
#include "blaze/storage/kv/base64.h"
#include "blaze/storage/kv/read_cache.h"

namespace blaze::kv {
namespace {

constexpr const char* kCatalogSchema =
    "CREATE TABLE IF NOT EXISTS kv_namespaces ("
    "  id TEXT PRIMARY KEY,"
    "  title TEXT NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL)";

constexpr const char* kNamespaceSchema =
    "CREATE TABLE IF NOT EXISTS kv ("
    "  key TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL,"
    "  expiration INTEGER NULL,"
    "  metadata TEXT NULL);"
    "CREATE INDEX IF NOT EXISTS kv_expiration ON kv(expiration) WHERE expiration IS NOT NULL";

constexpr std::size_t kMaxTitleBytes = 512;
constexpr std::int64_t kPurgeEverySeconds = 60;

// Ids become file names: letters, digits, '-' and '_' only (Cloudflare's are 32 hex digits;
// a wrangler.toml may use any such word).
Status ValidateId(const std::string& id) {
  bool ok = !id.empty() && id.size() <= 64;
  for (char c : id) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_');
  }
  if (ok) return Ok();
  return Fail(InvalidArgument("invalid KV namespace id '" + id +
                              "': use 1-64 letters, digits, '-' or '_' (Cloudflare's are 32 "
                              "hex digits)"));
}

Status ValidateTitle(const std::string& title) {
  if (title.empty()) return Fail(InvalidArgument("a KV namespace title cannot be empty"));
  if (title.size() > kMaxTitleBytes) {
    return Fail(InvalidArgument("a KV namespace title is at most 512 bytes"));
  }
  return Ok();
}

std::string NewNamespaceId(Random& random) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(random.Next()),
                static_cast<unsigned long long>(random.Next()));
  return std::string(buf, 32);
}

// Tells one KvService's per-thread states from another's (see Local()).
std::uint64_t NextInstanceId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

Status Check(sqlite::Database& db, int rc) {
  if (rc == SQLITE_OK) return Ok();
  return Fail(db.LastError(rc));
}

// Binds without copying: the bytes must outlive the statement's step.
Status BindText(sqlite::Database& db, sqlite::Statement& stmt, int i, std::string_view text) {
  return Check(
      db, sqlite3_bind_text64(stmt.raw(), i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8));
}

Status BindBlob(sqlite::Database& db, sqlite::Statement& stmt, int i, std::string_view bytes) {
  // A zero-length blob still needs a non-null pointer to be a blob rather than NULL.
  static const char kEmpty = 0;
  return Check(db, sqlite3_bind_blob64(stmt.raw(), i, bytes.empty() ? &kEmpty : bytes.data(),
                                       bytes.size(), SQLITE_STATIC));
}

Status BindOptionalInt(sqlite::Database& db, sqlite::Statement& stmt, int i,
                       std::optional<std::int64_t> v) {
  return Check(db, v ? sqlite3_bind_int64(stmt.raw(), i, *v) : sqlite3_bind_null(stmt.raw(), i));
}

Status BindOptionalText(sqlite::Database& db, sqlite::Statement& stmt, int i,
                        const std::optional<std::string>& v) {
  if (!v) return Check(db, sqlite3_bind_null(stmt.raw(), i));
  return BindText(db, stmt, i, *v);
}

std::string ColumnBytes(sqlite::Statement& stmt, int i) {
  const void* p = sqlite3_column_blob(stmt.raw(), i);
  int n = sqlite3_column_bytes(stmt.raw(), i);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::int64_t> ColumnOptionalInt(sqlite::Statement& stmt, int i) {
  if (sqlite3_column_type(stmt.raw(), i) == SQLITE_NULL) return std::nullopt;
  return stmt.ColumnInt(i);
}

std::optional<std::string> ColumnOptionalText(sqlite::Statement& stmt, int i) {
  if (sqlite3_column_type(stmt.raw(), i) == SQLITE_NULL) return std::nullopt;
  return stmt.ColumnText(i);
}

// The smallest byte string greater than every string starting with `prefix`; nullopt when
// there is none (empty prefix, or all 0xFF bytes).
std::optional<std::string> PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

Result<std::optional<NamespaceInfo>> LookupIn(sqlite::Database& control, const std::string& id) {
  BLAZE_TRY(auto stmt,
            control.Prepare("SELECT id, title, created_at FROM kv_namespaces WHERE id = ?1"));
  std::vector<sqlite::Value> args = {id};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  if (!row) return std::optional<NamespaceInfo>();
  return std::optional<NamespaceInfo>(
      NamespaceInfo{stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2)});
}

// Commits what `body` did in one transaction, or rolls all of it back.
Status InTransaction(sqlite::Database& db, const std::function<Status()>& body) {
  BLAZE_TRY_VOID(db.Exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (s.has_value()) s = db.Exec("COMMIT");
  if (!s.has_value() && db.InTransaction()) (void)db.Exec("ROLLBACK");
  return s;
}

}  // namespace

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

KvService::KvService(KvOptions options, std::unique_ptr<sqlite::Database> control)
    : options_(std::move(options)), instance_(NextInstanceId()), control_(std::move(control)) {}

KvService::~KvService() = default;

Result<std::unique_ptr<KvService>> KvService::Open(const KvOptions& options) {
  BLAZE_CHECK(options.env && options.clock && options.random);
  BLAZE_TRY_VOID(options.env->CreateDirs(fs::JoinPath(options.data_dir, "kv")));
  BLAZE_TRY(auto control, sqlite::Database::Open(fs::JoinPath(options.data_dir, "control.db"), {}));
  BLAZE_TRY_VOID(control->Exec(kCatalogSchema));
  return std::unique_ptr<KvService>(new KvService(options, std::move(control)));
}

std::string KvService::PathOf(const std::string& id) const {
  return fs::JoinPath(fs::JoinPath(options_.data_dir, "kv"), id + ".sqlite");
}

std::int64_t KvService::NowSeconds() const {
  std::int64_t ms = UnixMillis(options_.clock->Now());
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

// ---- namespaces ------------------------------------------------------------------------------

Result<NamespaceInfo> KvService::CreateNamespace(const std::string& title) {
  BLAZE_TRY_VOID(ValidateTitle(title));
  return Insert(title, NewNamespaceId(*options_.random));
}

Result<NamespaceInfo> KvService::CreateNamespaceWithId(const std::string& title,
                                                       const std::string& id) {
  BLAZE_TRY_VOID(ValidateTitle(title));
  BLAZE_TRY_VOID(ValidateId(id));
  return Insert(title, id);
}

Result<NamespaceInfo> KvService::EnsureNamespace(const std::string& id) {
  BLAZE_TRY_VOID(ValidateId(id));
  BLAZE_TRY(auto found, LookupNamespace(id));
  if (found) return *found;
  auto created = Insert(id, id);
  if (created.has_value() || created.error().code() != ErrorCode::kAlreadyExists) return created;
  // Another thread made it first.
  BLAZE_TRY(found, LookupNamespace(id));
  if (found) return *found;
  return created;
}

Result<NamespaceInfo> KvService::Insert(const std::string& title, const std::string& id) {
  NamespaceInfo info{id, title, FormatIso8601(options_.clock->Now())};
  {
    std::lock_guard lock(mu_);
    BLAZE_TRY(auto stmt, control_->Prepare("INSERT INTO kv_namespaces(id, title, created_at) "
                                           "VALUES (?1, ?2, ?3)"));
    std::vector<sqlite::Value> args = {info.id, info.title, info.created_at};
    BLAZE_TRY_VOID(stmt->BindAll(args));
    auto step = stmt->Step();
    if (!step.has_value()) {
      if (step.error().code() != ErrorCode::kFailedPrecondition) return Fail(step.error());
      BLAZE_TRY(auto same_id, LookupIn(*control_, id));
      if (same_id) return Fail(AlreadyExists("a KV namespace with id " + id + " already exists"));
      return Fail(AlreadyExists("a KV namespace titled '" + title + "' already exists"));
    }
  }
  // Make the file now, so a namespace always has one.
  auto handle = HandleFor(id);
  if (!handle.has_value()) {
    (void)DeleteNamespace(id);
    return Fail(handle.error());
  }
  return info;
}

Result<std::vector<NamespaceInfo>> KvService::ListNamespaces() {
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt, control_->Prepare(
                           "SELECT id, title, created_at FROM kv_namespaces ORDER BY title, id"));
  std::vector<NamespaceInfo> out;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    out.push_back({stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2)});
  }
  return out;
}

Result<std::optional<NamespaceInfo>> KvService::LookupNamespace(const std::string& id) {
  std::lock_guard lock(mu_);
  return LookupIn(*control_, id);
}

Result<NamespaceInfo> KvService::FindNamespace(const std::string& id) {
  BLAZE_TRY(auto found, LookupNamespace(id));
  if (!found) {
    return Fail(NotFound("KV namespace " + id +
                         " not found (`blaze kv namespace list` shows the namespaces; `blaze kv "
                         "namespace create TITLE` makes one)"));
  }
  return *found;
}

Status KvService::DeleteNamespace(const std::string& id) {
  BLAZE_TRY(NamespaceInfo info, FindNamespace(id));
  {
    std::lock_guard lock(mu_);
    BLAZE_TRY(auto stmt, control_->Prepare("DELETE FROM kv_namespaces WHERE id = ?1"));
    std::vector<sqlite::Value> args = {info.id};
    BLAZE_TRY_VOID(stmt->BindAll(args));
    BLAZE_TRY(bool row, stmt->Step());
    (void)row;
    if (auto it = states_.find(info.id); it != states_.end()) {
      it->second->deleted.store(true, std::memory_order_release);
      states_.erase(it);
    }
  }
  Local().handles.erase(info.id);  // other threads drop theirs on their next access
  std::string path = PathOf(info.id);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    auto s = options_.env->RemoveFile(path + suffix);
    if (!s.has_value() && s.error().code() != ErrorCode::kNotFound) return s;
  }
  return Ok();
}

// ---- per-thread state ------------------------------------------------------------------------

KvService::ThreadState& KvService::Local() {
  // The fast path takes no lock: the state this thread used last, if it is this service's.
  // Instance ids are never reused, so a state of a destroyed service is never matched.
  thread_local std::uint64_t last_instance = 0;
  thread_local ThreadState* last_state = nullptr;
  if (last_instance == instance_) return *last_state;
  std::lock_guard lock(threads_mu_);
  auto& slot = threads_[std::this_thread::get_id()];
  if (!slot) slot = std::make_unique<ThreadState>(options_.cache_bytes_per_thread);
  last_instance = instance_;
  last_state = slot.get();
  return *slot;
}

Result<std::shared_ptr<KvService::NamespaceState>> KvService::StateOf(const std::string& ns) {
  std::lock_guard lock(mu_);
  if (auto it = states_.find(ns); it != states_.end()) return it->second;
  BLAZE_TRY(auto found, LookupIn(*control_, ns));
  if (!found) {
    return Fail(NotFound("KV namespace " + ns +
                         " not found (`blaze kv namespace list` shows the namespaces)"));
  }
  auto state = std::make_shared<NamespaceState>();
  state->incarnation = next_incarnation_++;
  states_.emplace(ns, state);
  return state;
}

Result<KvService::Handle*> KvService::HandleFor(const std::string& ns) {
  ThreadState& local = Local();
  if (auto it = local.handles.find(ns); it != local.handles.end()) {
    if (!it->second.state->deleted.load(std::memory_order_acquire)) return &it->second;
    local.handles.erase(it);
  }
  BLAZE_TRY(auto state, StateOf(ns));
  sqlite::OpenOptions opts;
  opts.vfs = options_.vfs;
  BLAZE_TRY(auto db, sqlite::Database::Open(PathOf(ns), opts));
  BLAZE_TRY_VOID(db->Exec(kNamespaceSchema));
  BLAZE_TRY(std::int64_t version, db->QueryInt("PRAGMA data_version"));
  Handle handle{std::move(state), std::move(db), version, options_.clock->Monotonic(), 0};
  handle.next_external_check += options_.external_write_check;
  return &local.handles.insert_or_assign(ns, std::move(handle)).first->second;
}

void KvService::NoticeExternalWrites(Handle& handle) {
  Clock::MonoTime now = options_.clock->Monotonic();
  if (now < handle.next_external_check) return;
  handle.next_external_check = now + options_.external_write_check;
  auto version = handle.db->QueryInt("PRAGMA data_version");
  if (!version.has_value()) return;  // the read itself will report a broken database
  if (*version != handle.data_version) {
    handle.data_version = *version;
    handle.state->generation.fetch_add(1, std::memory_order_acq_rel);
  }
}

// ---- reads -----------------------------------------------------------------------------------

Result<std::optional<KvEntry>> KvService::Get(const std::string& ns, std::string_view key,
                                              const GetOptions& options) {
  BLAZE_TRY_VOID(ValidateKey(options.op, key));
  BLAZE_TRY_VOID(ValidateCacheTtl(options.cache_ttl));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  NoticeExternalWrites(*handle);
  ReadCache& cache = Local().cache;
  const std::int64_t now_s = NowSeconds();
  const Clock::MonoTime now = options_.clock->Monotonic();
  const NamespaceState& state = *handle->state;
  // Loaded before the read: a write committed after it bumps past this value.
  const std::uint64_t generation = state.generation.load(std::memory_order_acquire);
  if (const CachedRead* c = cache.Find(ns, key);
      c && c->incarnation == state.incarnation && c->generation == generation &&
      now < c->fresh_until && !(c->expiration && *c->expiration <= now_s)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    if (!c->found) return std::optional<KvEntry>();
    return std::optional<KvEntry>(KvEntry{c->value, c->expiration, c->metadata});
  }
  misses_.fetch_add(1, std::memory_order_relaxed);

  sqlite::Database& db = *handle->db;
  BLAZE_TRY(auto stmt, db.Prepare("SELECT value, expiration, metadata FROM kv WHERE key = ?1 AND "
                                  "(expiration IS NULL OR expiration > ?2)"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, key));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 2, now_s)));
  BLAZE_TRY(bool row, stmt->Step());
  CachedRead read;
  read.found = row;
  read.incarnation = state.incarnation;
  read.generation = generation;
  // A cacheTtl past a day buys nothing here (writes invalidate anyway) and must not overflow.
  constexpr std::int64_t kMaxCacheTtl = 24 * 3600;
  read.fresh_until = now + std::chrono::seconds(std::min(
                               options.cache_ttl.value_or(kDefaultCacheTtl), kMaxCacheTtl));
  std::optional<KvEntry> out;
  if (row) {
    out = KvEntry{ColumnBytes(*stmt, 0), ColumnOptionalInt(*stmt, 1), ColumnOptionalText(*stmt, 2)};
  }
  if (!row || out->value.size() <= options_.max_cached_value_bytes) {
    if (row) {
      read.value = out->value;
      read.expiration = out->expiration;
      read.metadata = out->metadata;
    }
    cache.Insert(ns, key, std::move(read));
  } else {
    cache.Erase(ns, key);
  }
  return out;
}

Result<ListPage> KvService::List(const std::string& ns, const ListOptions& options) {
  BLAZE_TRY(std::int64_t limit, ResolveListLimit(options.limit));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  sqlite::Database& db = *handle->db;
  // Keys after the cursor's: key > c is key >= c + "\0" for byte strings.
  std::string lower = options.prefix;
  if (!options.cursor.empty()) {
    std::string after = Base64Decode(options.cursor);
    after.push_back('\0');
    if (after > lower) lower = std::move(after);
  }
  std::optional<std::string> upper = PrefixEnd(options.prefix);
  BLAZE_TRY(auto stmt,
            db.Prepare(upper ? "SELECT key, expiration, metadata FROM kv WHERE key >= ?1 AND "
                               "key < ?4 AND (expiration IS NULL OR expiration > ?2) ORDER BY key "
                               "LIMIT ?3"
                             : "SELECT key, expiration, metadata FROM kv WHERE key >= ?1 AND "
                               "(expiration IS NULL OR expiration > ?2) ORDER BY key LIMIT ?3"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, lower));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 2, NowSeconds())));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 3, limit + 1)));
  if (upper) BLAZE_TRY_VOID(BindText(db, *stmt, 4, *upper));
  ListPage page;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    page.keys.push_back(
        {stmt->ColumnText(0), ColumnOptionalInt(*stmt, 1), ColumnOptionalText(*stmt, 2)});
  }
  if (static_cast<std::int64_t>(page.keys.size()) > limit) {
    page.keys.pop_back();
    page.list_complete = false;
    page.cursor = Base64Encode(page.keys.back().name);
  }
  return page;
}

Status KvService::Scan(const std::string& ns,
                       const std::function<Status(std::string_view, const KvEntry&)>& visit) {
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  sqlite::Database& db = *handle->db;
  BLAZE_TRY(auto stmt, db.Prepare("SELECT key, value, expiration, metadata FROM kv WHERE "
                                  "expiration IS NULL OR expiration > ?1 ORDER BY key"));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 1, NowSeconds())));
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) return Ok();
    KvEntry entry{ColumnBytes(*stmt, 1), ColumnOptionalInt(*stmt, 2), ColumnOptionalText(*stmt, 3)};
    BLAZE_TRY_VOID(visit(stmt->ColumnText(0), entry));
  }
}

// ---- writes ----------------------------------------------------------------------------------

namespace {

// The expiration a write asks for, after every check a put makes.
Result<std::optional<std::int64_t>> CheckWrite(std::string_view key, std::size_t value_size,
                                               const PutOptions& options, std::int64_t now_s) {
  BLAZE_TRY_VOID(ValidateKey(Op::kPut, key));
  BLAZE_TRY_VOID(ValidateValueSize(value_size));
  if (options.metadata) BLAZE_TRY_VOID(ValidateMetadata(*options.metadata));
  return ResolveExpiration(options.expiration, options.expiration_ttl, now_s);
}

Status UpsertRow(sqlite::Database& db, std::string_view key, std::string_view value,
                 std::optional<std::int64_t> expiration,
                 const std::optional<std::string>& metadata) {
  BLAZE_TRY(auto stmt, db.Prepare("INSERT INTO kv(key, value, expiration, metadata) VALUES "
                                  "(?1, ?2, ?3, ?4) ON CONFLICT(key) DO UPDATE SET value = "
                                  "excluded.value, expiration = excluded.expiration, metadata = "
                                  "excluded.metadata"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, key));
  BLAZE_TRY_VOID(BindBlob(db, *stmt, 2, value));
  BLAZE_TRY_VOID(BindOptionalInt(db, *stmt, 3, expiration));
  BLAZE_TRY_VOID(BindOptionalText(db, *stmt, 4, metadata));
  BLAZE_TRY(bool row, stmt->Step());
  (void)row;
  return Ok();
}

Result<std::int64_t> DeleteRow(sqlite::Database& db, std::string_view key) {
  BLAZE_TRY(auto stmt, db.Prepare("DELETE FROM kv WHERE key = ?1"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, key));
  BLAZE_TRY(bool row, stmt->Step());
  (void)row;
  return db.Changes();
}

}  // namespace

// Expired rows are invisible already; removing them only gives the space back, so it is done
// at most once a minute per thread and namespace, and a failure only warns.
void KvService::Purge(Handle& handle, std::int64_t now_s) {
  if (now_s < handle.next_purge_s) return;
  handle.next_purge_s = now_s + kPurgeEverySeconds;
  auto stmt =
      handle.db->Prepare("DELETE FROM kv WHERE expiration IS NOT NULL AND expiration <= ?1");
  Status s = stmt.has_value() ? Check(*handle.db, sqlite3_bind_int64((*stmt)->raw(), 1, now_s))
                              : Fail(stmt.error());
  if (s.has_value()) {
    auto step = (*stmt)->Step();
    if (!step.has_value()) s = Fail(step.error());
  }
  if (!s.has_value()) {
    log::Warn("kv.purge_failed", {{"path", handle.db->path()}, {"error", s.error().ToString()}});
  }
}

Status KvService::Put(const std::string& ns, std::string_view key, std::string_view value,
                      const PutOptions& options) {
  const std::int64_t now_s = NowSeconds();
  BLAZE_TRY(auto expiration, CheckWrite(key, value.size(), options, now_s));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  Purge(*handle, now_s);
  BLAZE_TRY_VOID(UpsertRow(*handle->db, key, value, expiration, options.metadata));
  handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

Status KvService::PutMany(const std::string& ns, const std::vector<KvWrite>& writes) {
  const std::int64_t now_s = NowSeconds();
  std::vector<std::optional<std::int64_t>> expirations;
  expirations.reserve(writes.size());
  for (const KvWrite& w : writes) {
    BLAZE_TRY(auto expiration, CheckWrite(w.key, w.value.size(), w.options, now_s));
    expirations.push_back(expiration);
  }
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  Purge(*handle, now_s);
  BLAZE_TRY_VOID(InTransaction(*handle->db, [&]() -> Status {
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const KvWrite& w = writes[i];
      BLAZE_TRY_VOID(UpsertRow(*handle->db, w.key, w.value, expirations[i], w.options.metadata));
    }
    return Ok();
  }));
  handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

Status KvService::Delete(const std::string& ns, std::string_view key) {
  BLAZE_TRY_VOID(ValidateKey(Op::kDelete, key));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  BLAZE_TRY(std::int64_t changes, DeleteRow(*handle->db, key));
  if (changes > 0) handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

Status KvService::DeleteMany(const std::string& ns, const std::vector<std::string>& keys) {
  for (const auto& key : keys) BLAZE_TRY_VOID(ValidateKey(Op::kDelete, key));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  BLAZE_TRY_VOID(InTransaction(*handle->db, [&]() -> Status {
    for (const auto& key : keys) BLAZE_TRY_VOID(DeleteRow(*handle->db, key));
    return Ok();
  }));
  handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

CacheStats KvService::cache_stats() const {
  return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed)};
}

}  // namespace blaze::kv
