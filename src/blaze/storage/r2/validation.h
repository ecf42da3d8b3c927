// The input rules R2 enforces before touching storage. Keys are opaque byte strings (UTF-8 from
// JS) of at most 1024 bytes; the empty key is allowed (wrangler dev accepts it). Keys never
// become file names — blobs are named by their SHA-256 — so no key can reach outside a bucket.
#pragma once

#include <string>
#include <string_view>

#include "blaze/base/result.h"
#include "blaze/storage/r2/r2_types.h"

namespace blaze::r2 {

Status ValidateKey(std::string_view key);  // InvalidObjectName (10020)

// Cloudflare's measure of customMetadata: the UTF-16 length of each key and value, doubled for
// a string holding any character >= U+0100; at most 2048 (MetadataTooLarge, 10012).
std::size_t CustomMetadataSize(const CustomMetadata& custom);
Status ValidatePutOptions(const PutOptions& options);

// 3-63 characters of [a-z0-9-], beginning and ending with a letter or digit (wrangler's rule).
// Bucket names become folder names, which this rule keeps safe.
Status ValidateBucketName(std::string_view name);

// A list cursor is the last key returned, base64-encoded (the form wrangler dev uses);
// decoding a malformed cursor yields the bytes it can, as an opaque start-after key.
std::string EncodeCursor(std::string_view last_key);
std::string DecodeCursor(std::string_view cursor);

}  // namespace blaze::r2
