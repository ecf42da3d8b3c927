// BackupStore: D1 backups under `<data-dir>/backups/d1/<database-name>/`. Each backup is a zstd
// file of a consistent SQLite snapshot (`<id>.sqlite.zst`) and, beside it, its metadata
// (`<id>.json`: ids, label, times, sizes, SHA-256 of the compressed file; zstd's frame
// checksum covers the plain bytes). The metadata is written
// last and is the commit point: a backup without it does not exist. Because the metadata is
// self-describing, a data directory that lost everything but `backups/` lists and restores them.
//
// Restore: verify (SHA-256 while decompressing, then PRAGMA integrity_check) → safety backup of
// the current state → copy into the live database inside one SQLite transaction (the backup
// API), so connections see the old or the new database, never a mix, and an I/O error at any
// step leaves the old database as it was.
//
// Errors: NotFound (unknown backup id or database), DataLoss (corrupt or truncated backup),
// ResourceExhausted (disk full), and storage errors. Never leaves partial backups listed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/storage/blob/zstd_file.h"
#include "blaze/storage/d1/d1_service.h"

namespace blaze::d1 {

struct BackupRecord {
  std::string id;
  std::string database_id;
  std::string database_name;
  std::string label;
  std::string created_at;  // ISO 8601 UTC
  std::int64_t created_at_ms = 0;
  std::int64_t size = 0;             // bytes of the SQLite file
  std::int64_t compressed_size = 0;  // bytes on disk
  std::string sha256;                // of the compressed file
};

struct RestoreResult {
  BackupRecord restored;
  std::optional<BackupRecord> safety_backup;  // absent when the target was new
  bool created_database = false;
};

class BackupStore {
 public:
  // Databases up to `in_memory_snapshot_limit` bytes are snapshotted into memory and compressed
  // from there (one pass); larger ones go through a temporary file beside the backup.
  static constexpr std::int64_t kDefaultInMemorySnapshotLimit = std::int64_t{1} << 30;

  explicit BackupStore(D1Service& d1,
                       std::int64_t in_memory_snapshot_limit = kDefaultInMemorySnapshotLimit)
      : d1_(d1), in_memory_snapshot_limit_(in_memory_snapshot_limit) {}

  Result<BackupRecord> Create(const std::string& database, const std::string& label);
  // Newest first. Works from backups/ alone: the database need not exist any more.
  Result<std::vector<BackupRecord>> List(const std::string& database_name);
  Result<BackupRecord> Get(const std::string& backup_id);
  // Restores `backup_id` (taken of any database) into `database`, creating `database` when it
  // does not exist (disaster recovery, read replicas).
  Result<RestoreResult> Restore(const std::string& database, const std::string& backup_id);
  // Writes the backup as a plain SQLite file at `output` (verified like a restore).
  Status Download(const std::string& backup_id, const std::string& output);
  Status Delete(const std::string& backup_id);
  // Retention: removes the backups of `database_name` (all databases when empty) older than
  // `keep`. Returns how many were removed.
  Result<int> Prune(const std::string& database_name, std::chrono::hours keep);

 private:
  Result<blob::CodecStats> SnapshotAndCompress(const DatabaseInfo& info,
                                               const std::string& snapshot_path,
                                               const std::string& zst_path);
  std::string Root() const;
  std::string DirFor(const std::string& database_name) const;
  Result<std::vector<BackupRecord>> ListAll();
  // Decompresses and verifies a backup into `plain_path`.
  Status Materialize(const BackupRecord& record, const std::string& plain_path);
  Status RemoveFiles(const BackupRecord& record);

  D1Service& d1_;
  std::int64_t in_memory_snapshot_limit_;
};

}  // namespace blaze::d1
