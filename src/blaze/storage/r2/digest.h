// Digests of an object's bytes: MD5 (the etag) and SHA-256 (the blob's content address) always,
// SHA-1/384/512 when a writer asks for them to be verified. One pass over the data.
#pragma once

#include <string>
#include <string_view>

namespace blaze::r2 {

enum class DigestAlgorithm { kMd5, kSha1, kSha256, kSha384, kSha512 };

// "MD5", "SHA-1", ... as Cloudflare names them in BadDigest messages.
std::string_view DigestName(DigestAlgorithm algorithm);
// Hex digest length: 32, 40, 64, 96, 128.
std::size_t DigestHexLength(DigestAlgorithm algorithm);

// Lowercase hex digest of `data`.
std::string HexDigest(DigestAlgorithm algorithm, std::string_view data);

}  // namespace blaze::r2
