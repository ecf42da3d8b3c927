// BlobStore: the bytes of a bucket's object versions, content-addressed: a blob is the file
// `<dir>/<ab>/<sha256>` (ab = the digest's first two hex characters), so identical content is
// stored once however many keys or versions refer to it. Blob files are immutable.
//
// Writes are atomic: the bytes go to `<dir>/tmp/<random>.tmp`, are fsynced, renamed onto the
// final name and the folder is fsynced; a crash leaves either no blob or the whole blob (and
// at worst an orphan temp file or unreferenced blob, which Bucket::Purge sweeps).
// The store knows nothing of references: Bucket decides when a blob may go (no version refers
// to it) under its index's write lock.
//
// Threads: thread-safe (no state beyond the Env, which is). Errors: the Env's (NotFound for a
// missing blob, ResourceExhausted for a full disk, ...).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/r2/r2_types.h"

namespace blaze::r2 {

class BlobStore {
 public:
  BlobStore(fs::Env& env, Random& random, std::string dir)
      : env_(env), random_(random), dir_(std::move(dir)) {}

  Status Init();  // creates the folders

  // Stores `data` under `sha256` (its digest, computed by the caller) unless a blob of that
  // name already exists.
  Status Write(const std::string& sha256, std::string_view data);
  Result<bool> Exists(const std::string& sha256);
  // The bytes of `range` (which the caller has checked against the blob's size).
  Result<std::string> Read(const std::string& sha256, ByteRange range);
  Status Remove(const std::string& sha256);  // NotFound if absent
  Result<std::uint64_t> Size(const std::string& sha256);
  // Every blob name on disk (for the orphan sweep), and leftover temp files removed.
  Result<std::vector<std::string>> ListAll();
  Status RemoveTempFiles();

  std::string PathOf(const std::string& sha256) const;
  const std::string& dir() const { return dir_; }

 private:
  fs::Env& env_;
  Random& random_;
  std::string dir_;
};

}  // namespace blaze::r2
