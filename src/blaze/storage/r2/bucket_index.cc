#include "blaze/storage/r2/bucket_index.h"

#include "blaze/storage/r2/metadata_json.h"

namespace blaze::r2 {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS versions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  version TEXT NOT NULL UNIQUE,
  deleted INTEGER NOT NULL DEFAULT 0,
  blob TEXT,
  size INTEGER NOT NULL DEFAULT 0,
  etag TEXT NOT NULL DEFAULT '',
  uploaded INTEGER NOT NULL,
  http_metadata TEXT NOT NULL DEFAULT '{}',
  custom_metadata TEXT NOT NULL DEFAULT '[]',
  checksums TEXT NOT NULL DEFAULT '{}',
  storage_class TEXT NOT NULL DEFAULT 'Standard');
CREATE INDEX IF NOT EXISTS versions_by_key ON versions(key, seq);
CREATE INDEX IF NOT EXISTS versions_by_blob ON versions(blob) WHERE blob IS NOT NULL;
CREATE TABLE IF NOT EXISTS objects (
  key TEXT PRIMARY KEY,
  seq INTEGER NOT NULL REFERENCES versions(seq)) WITHOUT ROWID;
)sql";

// The columns every version query selects, in RowToVersion's order; `v` is versions, `o` the
// LEFT JOINed objects row (its seq is non-NULL for the current version).
constexpr const char* kColumns =
    "v.key, v.version, v.deleted, v.blob, v.size, v.etag, v.uploaded, v.http_metadata, "
    "v.custom_metadata, v.checksums, v.storage_class, o.seq IS NOT NULL";

Result<VersionEntry> RowToVersion(sqlite::Statement& s) {
  VersionEntry e;
  ObjectInfo& o = e.info;
  o.key = s.ColumnText(0);
  o.version = s.ColumnText(1);
  e.deleted = s.ColumnInt(2) != 0;
  o.blob = s.ColumnText(3);
  o.size = s.ColumnInt(4);
  o.etag = s.ColumnText(5);
  o.uploaded_ms = s.ColumnInt(6);
  BLAZE_TRY(Json http, ParseStoredJson(s.ColumnText(7)));
  BLAZE_TRY(o.http, HttpMetadataFromJson(http));
  BLAZE_TRY(Json custom, ParseStoredJson(s.ColumnText(8)));
  BLAZE_TRY(o.custom, CustomMetadataFromJson(custom));
  BLAZE_TRY(Json checksums, ParseStoredJson(s.ColumnText(9)));
  BLAZE_TRY(o.checksums, ChecksumsFromJson(checksums));
  o.storage_class = s.ColumnText(10);
  e.current = s.ColumnInt(11) != 0;
  return e;
}

sqlite::Value Text(const std::optional<std::string>& s) {
  if (!s) return sqlite::Null{};
  return *s;
}

// Binds the four parameters of a KeyRange clause: ?1 lower, ?2 upper, ?3 after.
std::vector<sqlite::Value> RangeArgs(const KeyRange& r) {
  return {r.lower, Text(r.upper), Text(r.after)};
}

constexpr const char* kRangeClause =
    "o.key >= ?1 AND (?2 IS NULL OR o.key < ?2) AND (?3 IS NULL OR o.key > ?3)";

}  // namespace

Result<std::unique_ptr<BucketIndex>> BucketIndex::Open(const std::string& path, const char* vfs) {
  sqlite::OpenOptions opts;
  opts.vfs = vfs;
  BLAZE_TRY(auto db, sqlite::Database::Open(path, opts));
  BLAZE_TRY_VOID(db->Exec("PRAGMA synchronous=FULL"));
  BLAZE_TRY_VOID(db->Exec(kSchema));
  return std::unique_ptr<BucketIndex>(new BucketIndex(std::move(db)));
}

Status BucketIndex::Begin() { return db_->Exec("BEGIN IMMEDIATE"); }
Status BucketIndex::Commit() { return db_->Exec("COMMIT"); }
void BucketIndex::Rollback() {
  if (db_->InTransaction()) (void)db_->Exec("ROLLBACK");
}

Result<std::optional<ObjectInfo>> BucketIndex::Current(const std::string& key) {
  BLAZE_TRY(auto stmt, db_->Prepare(std::string("SELECT ") + kColumns +
                                    " FROM objects o JOIN versions v ON v.seq = o.seq "
                                    "WHERE o.key = ?1"));
  std::vector<sqlite::Value> args = {key};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  if (!row) return std::optional<ObjectInfo>();
  BLAZE_TRY(VersionEntry e, RowToVersion(*stmt));
  return std::optional<ObjectInfo>(std::move(e.info));
}

Status BucketIndex::InsertCurrent(const ObjectInfo& info) {
  {
    BLAZE_TRY(auto stmt,
              db_->Prepare("INSERT INTO versions(key, version, deleted, blob, size, etag, "
                           "uploaded, http_metadata, custom_metadata, checksums, storage_class) "
                           "VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    std::vector<sqlite::Value> args = {info.key,
                                       info.version,
                                       info.blob,
                                       info.size,
                                       info.etag,
                                       info.uploaded_ms,
                                       DumpJson(HttpMetadataToJson(info.http)),
                                       DumpJson(CustomMetadataToJson(info.custom)),
                                       DumpJson(ChecksumsToJson(info.checksums)),
                                       info.storage_class};
    BLAZE_TRY_VOID(stmt->BindAll(args));
    BLAZE_TRY_VOID(stmt->Step());
  }
  std::int64_t seq = db_->LastInsertRowId();
  BLAZE_TRY(auto stmt, db_->Prepare("INSERT OR REPLACE INTO objects(key, seq) VALUES (?1, ?2)"));
  std::vector<sqlite::Value> args = {info.key, seq};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY_VOID(stmt->Step());
  return Ok();
}

Status BucketIndex::InsertDeleteMarker(const std::string& key, const std::string& version,
                                       std::int64_t uploaded_ms) {
  {
    BLAZE_TRY(auto stmt, db_->Prepare("INSERT INTO versions(key, version, deleted, uploaded) "
                                      "VALUES (?1, ?2, 1, ?3)"));
    std::vector<sqlite::Value> args = {key, version, uploaded_ms};
    BLAZE_TRY_VOID(stmt->BindAll(args));
    BLAZE_TRY_VOID(stmt->Step());
  }
  BLAZE_TRY(auto stmt, db_->Prepare("DELETE FROM objects WHERE key = ?1"));
  std::vector<sqlite::Value> args = {key};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY_VOID(stmt->Step());
  return Ok();
}

Result<std::vector<ObjectInfo>> BucketIndex::Scan(const KeyRange& range, std::int64_t limit) {
  BLAZE_TRY(auto stmt, db_->Prepare(std::string("SELECT ") + kColumns +
                                    " FROM objects o JOIN versions v ON v.seq = o.seq WHERE " +
                                    kRangeClause + " ORDER BY o.key LIMIT ?4"));
  std::vector<sqlite::Value> args = RangeArgs(range);
  args.push_back(limit);
  BLAZE_TRY_VOID(stmt->BindAll(args));
  std::vector<ObjectInfo> out;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    BLAZE_TRY(VersionEntry e, RowToVersion(*stmt));
    out.push_back(std::move(e.info));
  }
  return out;
}

Result<std::optional<std::string>> BucketIndex::LastKey(const KeyRange& range) {
  BLAZE_TRY(auto stmt,
            db_->Prepare(std::string("SELECT max(o.key) FROM objects o WHERE ") + kRangeClause));
  std::vector<sqlite::Value> args = RangeArgs(range);
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  if (!row || sqlite::IsNull(stmt->Column(0))) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

Result<std::int64_t> BucketIndex::CountCurrent() {
  return db_->QueryInt("SELECT count(*) FROM objects");
}

Result<std::vector<VersionEntry>> BucketIndex::QueryVersions(
    std::string_view sql, const std::vector<sqlite::Value>& args) {
  BLAZE_TRY(auto stmt, db_->Prepare(sql));
  BLAZE_TRY_VOID(stmt->BindAll(args));
  std::vector<VersionEntry> out;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    BLAZE_TRY(VersionEntry e, RowToVersion(*stmt));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<VersionEntry>> BucketIndex::Versions(const std::string& key) {
  return QueryVersions(std::string("SELECT ") + kColumns +
                           " FROM versions v LEFT JOIN objects o ON o.seq = v.seq "
                           "WHERE v.key = ?1 ORDER BY v.seq DESC",
                       {key});
}

Result<std::optional<VersionEntry>> BucketIndex::FindVersion(const std::string& key,
                                                             const std::string& version) {
  BLAZE_TRY(auto rows, QueryVersions(std::string("SELECT ") + kColumns +
                                         " FROM versions v LEFT JOIN objects o ON o.seq = v.seq "
                                         "WHERE v.key = ?1 AND v.version = ?2",
                                     {key, version}));
  if (rows.empty()) return std::optional<VersionEntry>();
  return std::optional<VersionEntry>(std::move(rows.front()));
}

Result<std::vector<VersionEntry>> BucketIndex::Noncurrent(const std::optional<std::string>& key) {
  return QueryVersions(std::string("SELECT ") + kColumns +
                           " FROM versions v LEFT JOIN objects o ON o.seq = v.seq "
                           "WHERE o.seq IS NULL AND (?1 IS NULL OR v.key = ?1) ORDER BY v.seq",
                       {Text(key)});
}

Status BucketIndex::RemoveVersion(const std::string& version) {
  BLAZE_TRY(auto stmt, db_->Prepare("DELETE FROM versions WHERE version = ?1"));
  std::vector<sqlite::Value> args = {version};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY_VOID(stmt->Step());
  return Ok();
}

Result<std::int64_t> BucketIndex::BlobReferences(const std::string& sha256) {
  BLAZE_TRY(auto stmt, db_->Prepare("SELECT count(*) FROM versions WHERE blob = ?1"));
  std::vector<sqlite::Value> args = {sha256};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  (void)row;
  return stmt->ColumnInt(0);
}

}  // namespace blaze::r2
