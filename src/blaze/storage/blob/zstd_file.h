// Streaming zstd compression between files of an Env, hashing the uncompressed bytes on the way
// (SHA-256), so a backup is read once to be compressed and fingerprinted, and verified once on
// the way back. Frames carry zstd's own content checksum as well.
//
// Errors: the Env's (NotFound, ResourceExhausted for a full disk, ...); DataLoss for a
// truncated or corrupt compressed file. On failure the output file may be partial: callers
// write to a temporary path and rename on success.
#pragma once

#include <cstdint>
#include <string>

#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"

namespace blaze::blob {

struct CodecStats {
  std::uint64_t plain_bytes = 0;       // uncompressed size
  std::uint64_t compressed_bytes = 0;  // size of the .zst side
  std::string plain_sha256;            // hex SHA-256 of the uncompressed bytes
};

struct CompressOptions {
  int level = 3;
  int workers = 2;  // zstd's multithreaded mode; 0 = single-threaded
};

Result<CodecStats> CompressFile(fs::Env& env, const std::string& in_path,
                                const std::string& out_path, const CompressOptions& opts);

Result<CodecStats> DecompressFile(fs::Env& env, const std::string& in_path,
                                  const std::string& out_path);

}  // namespace blaze::blob
