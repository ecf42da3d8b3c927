#include "blaze/control/version_store.h"

#include <cmath>

#include "blaze/control/crypto.h"
#include "blaze/control/secret_store.h"

namespace blaze::control {
namespace {

constexpr double kEpsilon = 0.001;
constexpr std::size_t kMaxMessageBytes = 1000;
constexpr std::size_t kMaxTagBytes = 100;
constexpr std::size_t kMaxModulePathBytes = 512;

Result<VersionSource> ParseVersionSource(const std::string& s) {
  if (s == "upload") return VersionSource::kUpload;
  if (s == "secret") return VersionSource::kSecret;
  return Fail(DataLoss("unknown version source '" + s + "' in control.db"));
}

Result<DeploymentSource> ParseDeploymentSource(const std::string& s) {
  if (s == "deploy") return DeploymentSource::kDeploy;
  if (s == "rollback") return DeploymentSource::kRollback;
  if (s == "secret") return DeploymentSource::kSecret;
  return Fail(DataLoss("unknown deployment source '" + s + "' in control.db"));
}

// Paths are relative to the bundle root, as engine::WorkerBundle expects: no leading "/", no
// empty, "." or ".." segments, no backslashes or NULs.
Status ValidateModulePath(const std::string& path) {
  auto bad = [&](const char* why) {
    return Fail(InvalidArgument("module path '" + path + "' " + why));
  };
  if (path.empty()) return Fail(InvalidArgument("a module has an empty path"));
  if (path.size() > kMaxModulePathBytes) return bad("is too long");
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) {
    return bad("contains a backslash or NUL");
  }
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::string segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return bad("must be relative to the project root, without '.', '..' or empty segments");
    }
    if (slash == std::string::npos) return Ok();
    start = slash + 1;
  }
}

Status ValidateNewVersion(const NewVersion& v, std::size_t max_bytes) {
  BLAZE_TRY_VOID(ValidateName(v.worker, "worker name"));
  if (v.modules.empty()) return Fail(InvalidArgument("a version needs at least one module"));
  if (!v.modules.contains(v.main_module)) {
    std::string names;
    for (const auto& [path, _] : v.modules) names += (names.empty() ? "" : ", ") + path;
    return Fail(InvalidArgument("the main module '" + v.main_module +
                                "' is not among the version's modules (" + names + ")"));
  }
  std::size_t total = 0;
  for (const auto& [path, source] : v.modules) {
    BLAZE_TRY_VOID(ValidateModulePath(path));
    total += source.size();
  }
  if (total > max_bytes) {
    return Fail(ResourceExhausted("the version of '" + v.worker + "' is " + std::to_string(total) +
                                  " bytes of modules; the limit is " + std::to_string(max_bytes)));
  }
  if (v.message.size() > kMaxMessageBytes) {
    return Fail(InvalidArgument("the message is longer than " + std::to_string(kMaxMessageBytes) +
                                " bytes"));
  }
  if (v.tag.size() > kMaxTagBytes) {
    return Fail(
        InvalidArgument("the tag is longer than " + std::to_string(kMaxTagBytes) + " bytes"));
  }
  return ValidateDeployConfig(v.config);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::string_view ToString(VersionSource source) {
  return source == VersionSource::kSecret ? "secret" : "upload";
}

std::string_view ToString(DeploymentSource source) {
  switch (source) {
    case DeploymentSource::kDeploy:
      return "deploy";
    case DeploymentSource::kRollback:
      return "rollback";
    case DeploymentSource::kSecret:
      return "secret";
  }
  return "deploy";
}

const TrafficShare& Deployment::primary() const {
  BLAZE_CHECK(!versions.empty());
  const TrafficShare* best = &versions[0];
  for (const auto& share : versions) {
    if (share.percentage > best->percentage) best = &share;
  }
  return *best;
}

bool Deployment::RunsOnly(const std::string& version_id) const {
  return versions.size() == 1 && versions[0].version_id == version_id &&
         std::fabs(versions[0].percentage - 100) < kEpsilon;
}

VersionStore::VersionStore(ControlDb& db, VersionStoreOptions options)
    : db_(db), options_(options) {
  BLAZE_CHECK(options_.clock && options_.random);
}

Status VersionStore::RequireWorker(sqlite::Database& db, const std::string& worker) {
  BLAZE_TRY(auto found, QueryFirstInt(db, "SELECT 1 FROM workers WHERE name = ?1", {worker}));
  if (!found) {
    return Fail(NotFound("worker '" + worker + "' not found (`blaze deploy` creates it)"));
  }
  return Ok();
}

Result<VersionInfo> VersionStore::Insert(sqlite::Database& db, const NewVersion& v) {
  BLAZE_TRY_VOID(ValidateNewVersion(v, options_.max_version_bytes));
  for (const auto& [name, value_id] : v.secrets) {
    BLAZE_TRY_VOID(RequireSecretValueOf(db, v.worker, name, value_id));
  }
  VersionInfo info;
  info.id = NewUuid(*options_.random);
  info.worker = v.worker;
  info.created_at = FormatIso8601(options_.clock->Now());
  info.author = v.author;
  info.message = v.message;
  info.tag = v.tag;
  info.source = v.source;
  info.main_module = v.main_module;
  info.config = v.config;
  info.secrets = v.secrets;
  BLAZE_TRY_VOID(Exec(db, "INSERT OR IGNORE INTO workers(name, created_at) VALUES (?1, ?2)",
                      {v.worker, info.created_at}));
  BLAZE_TRY(auto number,
            QueryFirstInt(db, "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE worker = ?1",
                          {v.worker}));
  info.number = number.value_or(1);
  BLAZE_TRY_VOID(
      Exec(db,
           "INSERT INTO versions(id, worker, number, created_at, author, message, tag, "
           "source, main_module, config) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
           {info.id, info.worker, info.number, info.created_at, info.author, info.message, info.tag,
            std::string(ToString(info.source)), info.main_module,
            DeployConfigToJson(info.config)
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}));
  for (const auto& [path, source] : v.modules) {
    std::string sha = Sha256Hex(source);
    auto size = static_cast<std::int64_t>(source.size());
    sqlite::Blob bytes{std::vector<std::uint8_t>(source.begin(), source.end())};
    BLAZE_TRY_VOID(
        Exec(db, "INSERT OR IGNORE INTO module_blobs(sha256, size, data) VALUES (?1, ?2, ?3)",
             {sha, size, std::move(bytes)}));
    BLAZE_TRY_VOID(Exec(db,
                        "INSERT INTO version_modules(version_id, path, sha256, size) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        {info.id, path, sha, size}));
    info.modules.push_back({path, sha, size});
  }
  for (const auto& [name, value_id] : v.secrets) {
    BLAZE_TRY_VOID(
        Exec(db, "INSERT INTO version_secrets(version_id, name, value_id) VALUES (?1, ?2, ?3)",
             {info.id, name, value_id}));
  }
  return info;
}

Result<Deployment> VersionStore::InsertDeployment(sqlite::Database& db, const std::string& worker,
                                                  const std::vector<TrafficShare>& traffic,
                                                  const DeploymentRequest& request) {
  BLAZE_TRY_VOID(ValidateTraffic(traffic));
  if (request.message.size() > kMaxMessageBytes) {
    return Fail(InvalidArgument("the message is longer than " + std::to_string(kMaxMessageBytes) +
                                " bytes"));
  }
  BLAZE_TRY_VOID(RequireWorker(db, worker));
  for (const auto& share : traffic) BLAZE_TRY_VOID(ReadVersion(db, worker, share.version_id));
  Deployment d;
  d.id = NewUuid(*options_.random);
  d.worker = worker;
  d.created_at = FormatIso8601(options_.clock->Now());
  d.author = request.author;
  d.message = request.message;
  d.source = request.source;
  d.versions = traffic;
  BLAZE_TRY_VOID(Exec(db,
                      "INSERT INTO deployments(id, worker, created_at, author, message, source, "
                      "strategy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      {d.id, d.worker, d.created_at, d.author, d.message,
                       std::string(ToString(d.source)), d.strategy}));
  for (std::size_t i = 0; i < traffic.size(); ++i) {
    BLAZE_TRY_VOID(
        Exec(db,
             "INSERT INTO deployment_versions(deployment_id, position, version_id, "
             "percentage) VALUES (?1, ?2, ?3, ?4)",
             {d.id, static_cast<std::int64_t>(i), traffic[i].version_id, traffic[i].percentage}));
  }
  return d;
}

Result<std::vector<Deployment>> VersionStore::Deployments(sqlite::Database& db,
                                                          const std::string& worker,
                                                          std::size_t limit) {
  std::vector<Deployment> out;
  std::int64_t sql_limit = limit == 0 ? -1 : static_cast<std::int64_t>(limit);
  std::vector<std::string> sources;
  BLAZE_TRY_VOID(Query(db,
                       "SELECT id, created_at, author, message, source, strategy FROM deployments "
                       "WHERE worker = ?1 ORDER BY seq DESC LIMIT ?2",
                       {worker, sql_limit}, [&](sqlite::Statement& s) {
                         Deployment d;
                         d.id = s.ColumnText(0);
                         d.worker = worker;
                         d.created_at = s.ColumnText(1);
                         d.author = s.ColumnText(2);
                         d.message = s.ColumnText(3);
                         sources.push_back(s.ColumnText(4));
                         d.strategy = s.ColumnText(5);
                         out.push_back(std::move(d));
                         return Ok();
                       }));
  for (std::size_t i = 0; i < out.size(); ++i) {
    BLAZE_TRY(out[i].source, ParseDeploymentSource(sources[i]));
    BLAZE_TRY_VOID(Query(db,
                         "SELECT version_id, percentage FROM deployment_versions "
                         "WHERE deployment_id = ?1 ORDER BY position",
                         {out[i].id}, [&](sqlite::Statement& s) {
                           auto p = s.Column(1);
                           double pct = std::holds_alternative<double>(p)
                                            ? std::get<double>(p)
                                            : static_cast<double>(s.ColumnInt(1));
                           out[i].versions.push_back({s.ColumnText(0), pct});
                           return Ok();
                         }));
  }
  return out;
}

Result<VersionInfo> VersionStore::ReadVersion(sqlite::Database& db, const std::string& worker,
                                              const std::string& version_id) {
  std::optional<VersionInfo> found;
  std::string source, config;
  BLAZE_TRY_VOID(Query(db,
                       "SELECT id, worker, number, created_at, author, message, tag, source, "
                       "main_module, config FROM versions WHERE id = ?1 AND worker = ?2",
                       {version_id, worker}, [&](sqlite::Statement& s) {
                         VersionInfo v;
                         v.id = s.ColumnText(0);
                         v.worker = s.ColumnText(1);
                         v.number = s.ColumnInt(2);
                         v.created_at = s.ColumnText(3);
                         v.author = s.ColumnText(4);
                         v.message = s.ColumnText(5);
                         v.tag = s.ColumnText(6);
                         source = s.ColumnText(7);
                         v.main_module = s.ColumnText(8);
                         config = s.ColumnText(9);
                         found = std::move(v);
                         return Ok();
                       }));
  if (!found) {
    return Fail(NotFound("version '" + version_id + "' not found for worker '" + worker +
                         "' (`blaze versions list " + worker + "` shows its versions)"));
  }
  VersionInfo& v = *found;
  BLAZE_TRY(v.source, ParseVersionSource(source));
  auto parsed = nlohmann::json::parse(config, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Fail(DataLoss("version " + v.id + " has unreadable config"));
  BLAZE_TRY(v.config, DeployConfigFromJson(parsed));
  BLAZE_TRY_VOID(Query(db,
                       "SELECT path, sha256, size FROM version_modules WHERE version_id = ?1 "
                       "ORDER BY path",
                       {v.id}, [&](sqlite::Statement& s) {
                         v.modules.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2)});
                         return Ok();
                       }));
  BLAZE_TRY_VOID(Query(db, "SELECT name, value_id FROM version_secrets WHERE version_id = ?1",
                       {v.id}, [&](sqlite::Statement& s) {
                         v.secrets[s.ColumnText(0)] = s.ColumnInt(1);
                         return Ok();
                       }));
  return std::move(v);
}

Result<std::optional<VersionInfo>> VersionStore::Latest(sqlite::Database& db,
                                                        const std::string& worker) {
  BLAZE_TRY(auto id,
            QueryFirstText(db,
                           "SELECT id FROM versions WHERE worker = ?1 ORDER BY number DESC LIMIT 1",
                           {worker}));
  if (!id) return std::optional<VersionInfo>();
  BLAZE_TRY(auto v, ReadVersion(db, worker, *id));
  return std::optional<VersionInfo>(std::move(v));
}

Result<VersionInfo> VersionStore::Upload(const NewVersion& version) {
  return db_.Write([&](sqlite::Database& db) { return Insert(db, version); });
}

Result<Deployment> VersionStore::Deploy(const std::string& worker,
                                        const std::vector<TrafficShare>& traffic,
                                        const DeploymentRequest& request) {
  return db_.Write(
      [&](sqlite::Database& db) { return InsertDeployment(db, worker, traffic, request); });
}

Result<Published> VersionStore::UploadAndDeploy(const NewVersion& version,
                                                const DeploymentRequest& request) {
  return db_.Write([&](sqlite::Database& db) -> Result<Published> {
    BLAZE_TRY(VersionInfo v, Insert(db, version));
    BLAZE_TRY(Deployment d, InsertDeployment(db, version.worker, {{v.id, 100}}, request));
    return Published{std::move(v), std::move(d)};
  });
}

Status VersionStore::CheckRollback(sqlite::Database& db, const Deployment& active,
                                   const VersionInfo& target, const RollbackRequest& request) {
  if (active.RunsOnly(target.id)) {
    return Fail(FailedPrecondition("version " + target.id +
                                   " is already the active deployment of '" + target.worker +
                                   "' (100% of traffic); there is nothing to roll back"));
  }
  BLAZE_TRY(auto newer,
            QueryFirstInt(db, "SELECT COUNT(*) FROM versions WHERE worker = ?1 AND number > ?2",
                          {target.worker, target.number}));
  if (static_cast<std::size_t>(newer.value_or(0)) >= options_.rollback_window) {
    return Fail(FailedPrecondition(
        "version " + target.id + " (#" + std::to_string(target.number) + ") is older than the " +
        std::to_string(options_.rollback_window) + " most recent versions of '" + target.worker +
        "'; a rollback reaches only those, as on Cloudflare"));
  }
  if (request.secret_changes == SecretChanges::kAllow) return Ok();
  BLAZE_TRY(VersionInfo current, ReadVersion(db, target.worker, active.primary().version_id));
  std::vector<std::string> changed;
  for (const auto& [name, id] : current.secrets) {
    auto it = target.secrets.find(name);
    if (it == target.secrets.end() || it->second != id) changed.push_back(name);
  }
  for (const auto& [name, id] : target.secrets) {
    if (!current.secrets.contains(name)) changed.push_back(name);
  }
  if (!changed.empty()) {
    return Fail(FailedPrecondition("the following secrets have changed since version " + target.id +
                                   " was deployed: " + JoinNames(changed) +
                                   "; rolling back restores the values that version was built with "
                                   "(confirm to roll back anyway)"));
  }
  return Ok();
}

Result<Deployment> VersionStore::Rollback(const std::string& worker,
                                          const RollbackRequest& request) {
  return db_.Write([&](sqlite::Database& db) -> Result<Deployment> {
    BLAZE_TRY_VOID(RequireWorker(db, worker));
    BLAZE_TRY(auto history, Deployments(db, worker, 0));
    if (history.empty()) {
      return Fail(FailedPrecondition("worker '" + worker + "' has no deployment to roll back"));
    }
    std::string target_id;
    if (request.version_id) {
      target_id = *request.version_id;
    } else {
      // wrangler's default: the newest earlier deployment that ran one version at 100%.
      for (std::size_t i = 1; i < history.size() && target_id.empty(); ++i) {
        for (const auto& share : history[i].versions) {
          if (std::fabs(share.percentage - 100) < kEpsilon) target_id = share.version_id;
        }
      }
      if (target_id.empty()) {
        return Fail(FailedPrecondition("could not find a stable version of '" + worker +
                                       "' to roll back to (no earlier deployment ran one "
                                       "version at 100%); name a version id"));
      }
    }
    BLAZE_TRY(VersionInfo target, ReadVersion(db, worker, target_id));
    BLAZE_TRY_VOID(CheckRollback(db, history[0], target, request));
    DeploymentRequest d{request.author, request.message.empty() ? "Rollback" : request.message,
                        DeploymentSource::kRollback};
    return InsertDeployment(db, worker, {{target.id, 100}}, d);
  });
}

Result<std::optional<Published>> VersionStore::RedeployWithSecrets(const std::string& worker,
                                                                   const SecretRefs& secrets,
                                                                   const std::string& author,
                                                                   const std::string& message) {
  return db_.Write([&](sqlite::Database& db) -> Result<std::optional<Published>> {
    BLAZE_TRY(auto latest, Latest(db, worker));
    if (!latest) return std::optional<Published>();
    BLAZE_TRY(auto active, Deployments(db, worker, 1));
    if (active.empty() || !active[0].RunsOnly(latest->id)) {
      return Fail(FailedPrecondition(
          "secret edit failed: the latest version of '" + worker + "' (" + latest->id +
          ") is not the one deployed to 100% of traffic, so the change would not reach what "
          "runs; deploy it first (`blaze versions deploy " +
          worker + " " + latest->id + "@100%` or `blaze deploy`), then change the secret"));
    }
    NewVersion copy;
    copy.worker = worker;
    copy.main_module = latest->main_module;
    copy.config = latest->config;
    copy.author = author;
    copy.message = message;
    copy.source = VersionSource::kSecret;
    copy.secrets = secrets;
    BLAZE_TRY_VOID(Query(db,
                         "SELECT m.path, m.sha256, b.data FROM version_modules m "
                         "JOIN module_blobs b ON b.sha256 = m.sha256 WHERE m.version_id = ?1",
                         {latest->id}, [&](sqlite::Statement& s) {
                           copy.modules[s.ColumnText(0)] = s.ColumnText(2);
                           return Ok();
                         }));
    BLAZE_TRY(VersionInfo v, Insert(db, copy));
    BLAZE_TRY(Deployment d, InsertDeployment(db, worker, {{v.id, 100}},
                                             {author, message, DeploymentSource::kSecret}));
    return std::optional<Published>(Published{std::move(v), std::move(d)});
  });
}

Result<std::optional<Deployment>> VersionStore::Active(const std::string& worker) {
  return db_.Read([&](sqlite::Database& db) -> Result<std::optional<Deployment>> {
    BLAZE_TRY_VOID(RequireWorker(db, worker));
    BLAZE_TRY(auto latest, Deployments(db, worker, 1));
    if (latest.empty()) return std::optional<Deployment>();
    return std::optional<Deployment>(std::move(latest[0]));
  });
}

Result<std::vector<Deployment>> VersionStore::ListDeployments(const std::string& worker,
                                                              std::size_t limit) {
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<Deployment>> {
    BLAZE_TRY_VOID(RequireWorker(db, worker));
    return Deployments(db, worker, limit);
  });
}

Result<std::vector<VersionInfo>> VersionStore::ListVersions(const std::string& worker,
                                                            std::size_t limit) {
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<VersionInfo>> {
    BLAZE_TRY_VOID(RequireWorker(db, worker));
    std::vector<std::string> ids;
    std::int64_t sql_limit = limit == 0 ? -1 : static_cast<std::int64_t>(limit);
    BLAZE_TRY_VOID(Query(db,
                         "SELECT id FROM versions WHERE worker = ?1 ORDER BY number DESC LIMIT ?2",
                         {worker, sql_limit}, [&](sqlite::Statement& s) {
                           ids.push_back(s.ColumnText(0));
                           return Ok();
                         }));
    std::vector<VersionInfo> out;
    for (const auto& id : ids) {
      BLAZE_TRY(auto v, ReadVersion(db, worker, id));
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<VersionInfo> VersionStore::GetVersionInfo(const std::string& worker,
                                                 const std::string& version_id) {
  return db_.Read([&](sqlite::Database& db) { return ReadVersion(db, worker, version_id); });
}

Result<Version> VersionStore::GetVersion(const std::string& worker, const std::string& version_id) {
  return db_.Read([&](sqlite::Database& db) -> Result<Version> {
    Version out;
    BLAZE_TRY(out.info, ReadVersion(db, worker, version_id));
    for (const auto& m : out.info.modules) {
      BLAZE_TRY(auto data,
                QueryFirstText(db, "SELECT data FROM module_blobs WHERE sha256 = ?1", {m.sha256}));
      if (!data || !ConstantTimeEquals(Sha256Hex(*data), m.sha256)) {
        return Fail(DataLoss("module '" + m.path + "' of version " + version_id + " of '" + worker +
                             "' is " + (data ? "corrupt (its SHA-256 does not match)" : "missing") +
                             "; deploy the worker again or restore control.db from a backup"));
      }
      out.modules[m.path] = std::move(*data);
    }
    return out;
  });
}

Result<std::optional<VersionInfo>> VersionStore::LatestVersion(const std::string& worker) {
  return db_.Read([&](sqlite::Database& db) { return Latest(db, worker); });
}

Result<std::vector<std::string>> VersionStore::ListWorkers() {
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    BLAZE_TRY_VOID(
        Query(db, "SELECT name FROM workers ORDER BY name", {}, [&](sqlite::Statement& s) {
          out.push_back(s.ColumnText(0));
          return Ok();
        }));
    return out;
  });
}

Result<std::vector<Deployment>> VersionStore::ListActive() {
  BLAZE_TRY(auto workers, ListWorkers());
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<Deployment>> {
    std::vector<Deployment> out;
    for (const auto& w : workers) {
      BLAZE_TRY(auto latest, Deployments(db, w, 1));
      if (!latest.empty()) out.push_back(std::move(latest[0]));
    }
    return out;
  });
}

}  // namespace blaze::control
