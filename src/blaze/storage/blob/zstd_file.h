// Streaming zstd compression into and out of files of an Env. The SHA-256 of the compressed
// bytes (the artifact at rest) is computed on the way out and checked on the way back in, and
// every frame carries zstd's own checksum of the plain content, so both the stored file and the
// data it decodes to are verified. Hashing the compressed side keeps the cost small: a 200 MB
// database compresses to a few tens of MB.
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
  std::string compressed_sha256;       // hex SHA-256 of the .zst bytes
};

struct CompressOptions {
  int level = 3;
  int workers = 2;  // zstd's multithreaded mode; 0 = single-threaded
};

Result<CodecStats> CompressFile(fs::Env& env, const std::string& in_path,
                                const std::string& out_path, const CompressOptions& opts);
// Compresses bytes already in memory (a serialized in-memory database).
Result<CodecStats> CompressBuffer(fs::Env& env, std::string_view data, const std::string& out_path,
                                  const CompressOptions& opts);

Result<CodecStats> DecompressFile(fs::Env& env, const std::string& in_path,
                                  const std::string& out_path);

}  // namespace blaze::blob
