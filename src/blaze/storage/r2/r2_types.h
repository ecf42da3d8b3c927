// The nouns of R2, shaped like Cloudflare's R2Object / R2Conditional / R2Range so the binding
// and the CLI translate field for field. Plain data: no behaviour, no locks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace blaze::r2 {

// Cloudflare's R2HTTPMetadata. Absent fields stay absent (JS sees no property).
struct HttpMetadata {
  std::optional<std::string> content_type;
  std::optional<std::string> content_language;
  std::optional<std::string> content_disposition;
  std::optional<std::string> content_encoding;
  std::optional<std::string> cache_control;
  std::optional<std::int64_t> cache_expiry_ms;  // milliseconds since the Unix epoch

  bool operator==(const HttpMetadata&) const = default;
};

// customMetadata in the order the worker gave it (a JS object's own-key order).
using CustomMetadata = std::vector<std::pair<std::string, std::string>>;

// Hex digests of the object's bytes: md5 always (it is the etag), the others when the writer
// supplied them (Cloudflare stores only the checksum that was sent).
struct Checksums {
  std::string md5;
  std::optional<std::string> sha1;
  std::optional<std::string> sha256;
  std::optional<std::string> sha384;
  std::optional<std::string> sha512;

  bool operator==(const Checksums&) const = default;
};

// One version of an object: what R2Object exposes, plus the content address of its bytes.
struct ObjectInfo {
  std::string key;
  std::string version;  // 32 lowercase hex characters
  std::int64_t size = 0;
  std::string etag;  // md5 hex of the bytes; httpEtag is it in double quotes
  std::int64_t uploaded_ms = 0;
  HttpMetadata http;
  CustomMetadata custom;
  Checksums checksums;
  std::string storage_class = "Standard";
  std::string blob;  // SHA-256 hex of the bytes: the blob file's name (internal)

  bool operator==(const ObjectInfo&) const = default;
};

// One entry of an etag condition: "*", or a strong or weak entity tag (If-Match lists).
struct EtagMatch {
  enum class Kind { kStrong, kWeak, kWildcard };
  Kind kind = Kind::kStrong;
  std::string value;  // without quotes or W/

  bool operator==(const EtagMatch&) const = default;
};

// Cloudflare's R2Conditional (or the If-* headers it is built from).
struct Conditional {
  std::optional<std::vector<EtagMatch>> etag_matches;         // If-Match
  std::optional<std::vector<EtagMatch>> etag_does_not_match;  // If-None-Match
  std::optional<std::int64_t> uploaded_before_ms;             // If-Unmodified-Since
  std::optional<std::int64_t> uploaded_after_ms;              // If-Modified-Since
  bool seconds_granularity = false;                           // compare whole seconds (HTTP dates)
};

// Cloudflare's R2Range: {offset, length} | {offset} | {length} | {suffix}.
struct RangeRequest {
  std::optional<std::int64_t> offset;
  std::optional<std::int64_t> length;
  std::optional<std::int64_t> suffix;
};

// The bytes a read returns: [offset, offset + length).
struct ByteRange {
  std::int64_t offset = 0;
  std::int64_t length = 0;

  bool operator==(const ByteRange&) const = default;
};

struct PutOptions {
  HttpMetadata http;
  CustomMetadata custom;
  std::optional<Conditional> only_if;
  // Checksums to verify (hex); a mismatch fails the put with BadDigest.
  std::optional<std::string> md5, sha1, sha256, sha384, sha512;
  std::string storage_class = "Standard";  // or "InfrequentAccess"
};

struct GetOptions {
  std::optional<Conditional> only_if;
  std::optional<RangeRequest> range;
  std::optional<std::string> range_header;  // "bytes=0-99": one satisfiable range, else ignored
};

// A read. `body` holds the bytes of `range` unless the condition failed (Cloudflare then returns
// the object without a body).
struct GetResult {
  ObjectInfo info;
  bool precondition_failed = false;
  ByteRange range;
  std::string body;
};

struct ListOptions {
  std::string prefix;
  std::string delimiter;
  std::string cursor;                 // from a previous truncated result
  std::string start_after;            // exclusive
  std::optional<std::int64_t> limit;  // 1..1000, default 1000 (100 when metadata is included)
  bool include_http = false;
  bool include_custom = false;
};

struct ListResult {
  std::vector<ObjectInfo> objects;  // metadata cleared unless included
  std::vector<std::string> delimited_prefixes;
  bool truncated = false;
  std::string cursor;  // set when truncated
};

// One row of an object's history, newest first in listings.
struct VersionEntry {
  ObjectInfo info;       // for a delete marker: key, version, uploaded_ms only
  bool deleted = false;  // a delete marker
  bool current = false;  // the version get() returns now
};

// What a purge freed.
struct PurgeStats {
  std::int64_t versions_removed = 0;
  std::int64_t blobs_removed = 0;
  std::int64_t bytes_freed = 0;
};

}  // namespace blaze::r2
