#include "blaze/storage/d1/backup_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "blaze/base/log.h"
#include "blaze/storage/blob/zstd_file.h"

namespace blaze::d1 {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "blaze-d1-backup/1";

json ToJson(const BackupRecord& r) {
  return json{{"format", kFormat},
              {"id", r.id},
              {"database_id", r.database_id},
              {"database_name", r.database_name},
              {"label", r.label},
              {"created_at", r.created_at},
              {"created_at_ms", r.created_at_ms},
              {"size", r.size},
              {"compressed_size", r.compressed_size},
              {"sha256", r.sha256}};
}

Result<BackupRecord> FromJson(const std::string& text, const std::string& path) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != kFormat) {
    return Fail(DataLoss("backup metadata " + path + " is unreadable"));
  }
  try {
    BackupRecord r;
    r.id = j.at("id").get<std::string>();
    r.database_id = j.at("database_id").get<std::string>();
    r.database_name = j.at("database_name").get<std::string>();
    r.label = j.at("label").get<std::string>();
    r.created_at = j.at("created_at").get<std::string>();
    r.created_at_ms = j.at("created_at_ms").get<std::int64_t>();
    r.size = j.at("size").get<std::int64_t>();
    r.compressed_size = j.at("compressed_size").get<std::int64_t>();
    r.sha256 = j.at("sha256").get<std::string>();
    return r;
  } catch (const json::exception& e) {
    return Fail(DataLoss("backup metadata " + path + " is incomplete: " + e.what()));
  }
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void RemoveQuietly(fs::Env& env, const std::string& path) { (void)env.RemoveFile(path); }

}  // namespace

Result<blob::CodecStats> BackupStore::SnapshotAndCompress(const DatabaseInfo& info,
                                                          const std::string& snapshot_path,
                                                          const std::string& zst_path) {
  constexpr blob::CompressOptions kCompress{.level = 1, .workers = 2};
  BLAZE_TRY(auto source, d1_.Connect(info));
  BLAZE_TRY(std::int64_t size, source->SizeBytes());
  if (size <= in_memory_snapshot_limit_) {
    // One pass: the snapshot lands in memory and zstd reads it from there.
    BLAZE_TRY(auto copy, sqlite::Database::OpenInMemory());
    BLAZE_TRY_VOID(sqlite::CopyDatabase(*source, *copy));
    BLAZE_TRY(std::string_view bytes, copy->InMemoryBytes());
    return blob::CompressBuffer(d1_.env(), bytes, zst_path, kCompress);
  }
  {
    sqlite::OpenOptions opts;
    opts.wal = false;
    opts.vfs = d1_.options().vfs;
    BLAZE_TRY(auto copy, sqlite::Database::Open(snapshot_path, opts));
    BLAZE_TRY_VOID(copy->Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF"));
    BLAZE_TRY_VOID(sqlite::CopyDatabase(*source, *copy));
  }
  return blob::CompressFile(d1_.env(), snapshot_path, zst_path, kCompress);
}

std::string BackupStore::Root() const {
  return fs::JoinPath(d1_.options().data_dir, "backups/d1");
}

std::string BackupStore::DirFor(const std::string& database_name) const {
  return fs::JoinPath(Root(), database_name);
}

Result<BackupRecord> BackupStore::Create(const std::string& database, const std::string& label) {
  auto start = d1_.clock().Monotonic();
  BLAZE_TRY(DatabaseInfo info, d1_.Find(database));
  fs::Env& env = d1_.env();
  std::string dir = DirFor(info.name);
  BLAZE_TRY_VOID(env.CreateDirs(dir));
  BackupRecord r;
  r.id = NewUuid(d1_.random());
  r.database_id = info.id;
  r.database_name = info.name;
  r.label = label;
  auto now = d1_.clock().Now();
  r.created_at = FormatIso8601(now);
  r.created_at_ms = UnixMillis(now);

  std::string snapshot = fs::JoinPath(dir, r.id + ".sqlite.tmp");
  std::string zst_tmp = fs::JoinPath(dir, r.id + ".sqlite.zst.tmp");
  std::string zst = fs::JoinPath(dir, r.id + ".sqlite.zst");
  auto cleanup = [&] {
    for (const auto& p : {snapshot, snapshot + "-journal", zst_tmp, zst}) RemoveQuietly(env, p);
  };
  auto write = [&]() -> Status {
    BLAZE_TRY(auto stats, SnapshotAndCompress(info, snapshot, zst_tmp));
    r.size = static_cast<std::int64_t>(stats.plain_bytes);
    r.compressed_size = static_cast<std::int64_t>(stats.compressed_bytes);
    r.sha256 = stats.compressed_sha256;
    BLAZE_TRY_VOID(env.Rename(zst_tmp, zst));
    RemoveQuietly(env, snapshot);
    // The metadata is the commit point.
    return fs::WriteFileAtomically(env, fs::JoinPath(dir, r.id + ".json"), ToJson(r).dump(2));
  };
  Status s = write();
  if (!s.has_value()) {
    cleanup();
    return Fail(s.error().WithContext("backup of '" + info.name + "' failed"));
  }
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(d1_.clock().Monotonic() - start);
  log::Info("d1.backup.created", {{"db", info.name},
                                  {"backup", r.id},
                                  {"bytes", r.size},
                                  {"compressed_bytes", r.compressed_size},
                                  {"duration_ms", static_cast<std::int64_t>(took.count())}});
  return r;
}

Result<std::vector<BackupRecord>> BackupStore::ListAll() {
  fs::Env& env = d1_.env();
  std::vector<BackupRecord> out;
  BLAZE_TRY(bool exists, env.Exists(Root()));
  if (!exists) return out;
  BLAZE_TRY(auto dirs, env.ListDir(Root()));
  for (const auto& d : dirs) {
    if (!d.is_dir) continue;
    std::string dir = fs::JoinPath(Root(), d.name);
    BLAZE_TRY(auto files, env.ListDir(dir));
    for (const auto& f : files) {
      if (!EndsWith(f.name, ".json")) continue;
      std::string path = fs::JoinPath(dir, f.name);
      BLAZE_TRY(std::string text, fs::ReadFile(env, path));
      auto record = FromJson(text, path);
      if (!record.has_value()) {
        log::Warn("d1.backup.unreadable_metadata", {{"path", path}});
        continue;
      }
      out.push_back(std::move(record).value());
    }
  }
  std::sort(out.begin(), out.end(), [](const BackupRecord& a, const BackupRecord& b) {
    return a.created_at_ms != b.created_at_ms ? a.created_at_ms > b.created_at_ms : a.id > b.id;
  });
  return out;
}

Result<std::vector<BackupRecord>> BackupStore::List(const std::string& database_name) {
  BLAZE_TRY(auto db, d1_.Lookup(database_name));
  std::string name = db ? db->name : database_name;
  BLAZE_TRY(auto all, ListAll());
  std::vector<BackupRecord> out;
  for (auto& r : all) {
    if (r.database_name == name) out.push_back(std::move(r));
  }
  if (!db && out.empty()) return Fail(d1_.Find(database_name).error());
  return out;
}

Result<BackupRecord> BackupStore::Get(const std::string& backup_id) {
  if (!IsUuid(backup_id)) {
    return Fail(InvalidArgument("invalid backup id '" + backup_id + "' (expected a UUID)"));
  }
  BLAZE_TRY(auto all, ListAll());
  for (auto& r : all) {
    if (r.id == backup_id) return r;
  }
  return Fail(NotFound("backup " + backup_id +
                       " not found (`blaze d1 backup list DATABASE` shows the backups)"));
}

Status BackupStore::Materialize(const BackupRecord& r, const std::string& plain_path) {
  fs::Env& env = d1_.env();
  std::string zst = fs::JoinPath(DirFor(r.database_name), r.id + ".sqlite.zst");
  auto verify = [&]() -> Status {
    BLAZE_TRY(auto stats, blob::DecompressFile(env, zst, plain_path));
    if (stats.compressed_sha256 != r.sha256 || static_cast<std::int64_t>(stats.plain_bytes) != r.size) {
      return Fail(DataLoss("checksum mismatch (the backup file was changed or damaged)"));
    }
    sqlite::OpenOptions opts;
    opts.wal = false;
    BLAZE_TRY(auto db, sqlite::Database::Open(plain_path, opts));
    BLAZE_TRY_VOID(db->Exec("PRAGMA journal_mode=DELETE"));
    BLAZE_TRY(auto check, db->Prepare("PRAGMA integrity_check"));
    BLAZE_TRY(bool row, check->Step());
    if (!row || check->ColumnText(0) != "ok") {
      return Fail(DataLoss("integrity check failed: " + (row ? check->ColumnText(0) : "")));
    }
    return Ok();
  };
  Status s = verify();
  if (!s.has_value()) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) RemoveQuietly(env, plain_path + suffix);
    return Fail(s.error().WithContext("backup " + r.id + " refused"));
  }
  return Ok();
}

Result<RestoreResult> BackupStore::Restore(const std::string& database,
                                           const std::string& backup_id) {
  BLAZE_TRY(BackupRecord record, Get(backup_id));
  BLAZE_TRY(auto target, d1_.Lookup(database));
  if (!target) BLAZE_TRY_VOID(ValidateName(database, "database name"));
  fs::Env& env = d1_.env();
  std::string staged =
      fs::JoinPath(fs::JoinPath(d1_.options().data_dir, "d1"), "restore-" + record.id + ".tmp");
  BLAZE_TRY_VOID(Materialize(record, staged));
  auto drop_staged = [&] { RemoveQuietly(env, staged); };

  RestoreResult result{record, std::nullopt, false};
  if (target) {
    auto safety = Create(target->name, "pre-restore-" + FormatIso8601(d1_.clock().Now()));
    if (!safety.has_value()) {
      drop_staged();
      return Fail(safety.error().WithContext("safety backup before restore failed"));
    }
    result.safety_backup = *safety;
  } else {
    // Disaster recovery keeps the original id (wrangler.toml's database_id still matches);
    // a restore into a new name (a read replica) gets its own.
    bool same = database == record.database_name && !d1_.Lookup(record.database_id).value_or(std::nullopt);
    auto created = same ? d1_.CreateWithId(database, record.database_id) : d1_.Create(database);
    if (!created.has_value()) {
      drop_staged();
      return Fail(created.error());
    }
    target = *created;
    result.created_database = true;
  }

  auto copy = [&]() -> Status {
    sqlite::OpenOptions ro;
    ro.mode = sqlite::OpenOptions::Mode::kReadOnly;
    ro.wal = false;
    BLAZE_TRY(auto source, sqlite::Database::Open(staged, ro));
    BLAZE_TRY(auto live, d1_.Connect(*target));
    return sqlite::CopyDatabase(*source, *live);
  };
  Status s = copy();
  drop_staged();
  if (!s.has_value()) {
    if (result.created_database) (void)d1_.Delete(target->id);
    return Fail(s.error().WithContext("restore of '" + target->name + "' failed; the database is "
                                      "unchanged"));
  }
  log::Info("d1.backup.restored", {{"db", target->name}, {"backup", record.id}});
  return result;
}

Status BackupStore::Download(const std::string& backup_id, const std::string& output) {
  BLAZE_TRY(BackupRecord record, Get(backup_id));
  std::string tmp = output + ".tmp";
  BLAZE_TRY_VOID(Materialize(record, tmp));
  auto s = d1_.env().Rename(tmp, output);
  if (!s.has_value()) RemoveQuietly(d1_.env(), tmp);
  return s;
}

Status BackupStore::RemoveFiles(const BackupRecord& r) {
  std::string dir = DirFor(r.database_name);
  // Metadata first: once it is gone the backup no longer exists, even if the data file stays.
  BLAZE_TRY_VOID(d1_.env().RemoveFile(fs::JoinPath(dir, r.id + ".json")));
  RemoveQuietly(d1_.env(), fs::JoinPath(dir, r.id + ".sqlite.zst"));
  return d1_.env().RemoveDirIfEmpty(dir);
}

Status BackupStore::Delete(const std::string& backup_id) {
  BLAZE_TRY(BackupRecord record, Get(backup_id));
  return RemoveFiles(record);
}

Result<int> BackupStore::Prune(const std::string& database_name, std::chrono::hours keep) {
  BLAZE_TRY(auto all, ListAll());
  std::int64_t cutoff = UnixMillis(d1_.clock().Now()) -
                        std::chrono::duration_cast<std::chrono::milliseconds>(keep).count();
  int removed = 0;
  for (const auto& r : all) {
    if (!database_name.empty() && r.database_name != database_name) continue;
    if (r.created_at_ms >= cutoff) continue;
    BLAZE_TRY_VOID(RemoveFiles(r));
    ++removed;
  }
  if (removed > 0) log::Info("d1.backup.pruned", {{"removed", removed}});
  return removed;
}

}  // namespace blaze::d1
