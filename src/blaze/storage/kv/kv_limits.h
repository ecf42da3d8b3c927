// Cloudflare's Workers KV limits, and the errors Cloudflare returns when one is crossed, word for
// word (pinned against `wrangler dev` in tests/workers/scenarios/kv). Shared by KvService, the
// binding and the CLI, so a limit is described once.
//
// Messages: limit errors read "KV <OP> failed: <status> <detail>" (what the Workers runtime
// throws as a plain Error); key-name errors ("Key name cannot be empty.") have no prefix, as the
// runtime throws those itself as TypeErrors before any request. All are InvalidArgument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::kv {

inline constexpr std::size_t kMaxKeyBytes = 512;
inline constexpr std::size_t kMaxValueBytes = 25 * 1024 * 1024;
inline constexpr std::size_t kMaxMetadataBytes = 1024;  // serialized JSON
inline constexpr std::int64_t kMinExpirationTtl = 60;   // seconds
inline constexpr std::int64_t kMinCacheTtl = 30;        // seconds
inline constexpr std::int64_t kDefaultCacheTtl = 60;    // seconds
inline constexpr std::int64_t kMaxListLimit = 1000;
inline constexpr std::size_t kMaxBulkGetKeys = 100;

// The operation an error is reported for; list() reports as GET, as Cloudflare does.
enum class Op { kGet, kGetBulk, kPut, kDelete, kList };
std::string_view OpName(Op op);  // "GET", "GET_BULK", "PUT", "DELETE", "GET"

// InvalidArgument "KV <OP> failed: <status> <detail>".
Error OpError(Op op, int status, std::string_view detail);

// Empty, "." and ".." are refused without a prefix; longer than 512 UTF-8 bytes with 414.
Status ValidateKey(Op op, std::string_view key);
Status ValidateValueSize(std::size_t bytes);     // 413 past 25 MiB
Status ValidateMetadata(std::string_view json);  // 413 past 1024 bytes; must be JSON
Status ValidateCacheTtl(std::optional<std::int64_t> cache_ttl);  // 400 under 30 s

// The absolute expiration (seconds since the epoch) a put asks for, checked as Cloudflare does:
// a TTL wins over an absolute time; TTLs under 60 s and times under 60 s from `now_s` are
// refused. nullopt: the key never expires.
Result<std::optional<std::int64_t>> ResolveExpiration(std::optional<std::int64_t> expiration,
                                                      std::optional<std::int64_t> expiration_ttl,
                                                      std::int64_t now_s);

// A list() limit: 0 or less means the default (1000); over 1000 is refused.
Result<std::int64_t> ResolveListLimit(std::int64_t limit);

}  // namespace blaze::kv
