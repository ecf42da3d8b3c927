// KvService's lifetime, the namespace catalog and the per-thread connections every key
// operation goes through (HandleFor). Keys: kv_service_reads.cc and kv_service_writes.cc.
#include "blaze/storage/kv/kv_service.h"

#include <cstdio>

#include "blaze/storage/kv/kv_service_state.h"

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

}  // namespace

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

CacheStats KvService::cache_stats() const {
  return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed)};
}

}  // namespace blaze::kv
