#include "blaze/storage/kv/kv_limits.h"

#include <limits>
#include <nlohmann/json.hpp>

namespace blaze::kv {

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kGet:
    case Op::kList:
      return "GET";
    case Op::kGetBulk:
      return "GET_BULK";
    case Op::kPut:
      return "PUT";
    case Op::kDelete:
      return "DELETE";
  }
  return "GET";
}

Error OpError(Op op, int status, std::string_view detail) {
  return InvalidArgument("KV " + std::string(OpName(op)) + " failed: " + std::to_string(status) +
                         " " + std::string(detail));
}

Status ValidateKey(Op op, std::string_view key) {
  if (key.empty()) return Fail(InvalidArgument("Key name cannot be empty."));
  if (key == "." || key == "..") {
    return Fail(InvalidArgument("\"" + std::string(key) + "\" is not allowed as a key name."));
  }
  if (key.size() > kMaxKeyBytes) {
    return Fail(OpError(op, 414,
                        "UTF-8 encoded length of " + std::to_string(key.size()) +
                            " exceeds key length limit of " + std::to_string(kMaxKeyBytes) + "."));
  }
  return Ok();
}

Status ValidateValueSize(std::size_t bytes) {
  if (bytes <= kMaxValueBytes) return Ok();
  return Fail(OpError(Op::kPut, 413,
                      "Value length of " + std::to_string(bytes) + " exceeds limit of " +
                          std::to_string(kMaxValueBytes) + "."));
}

Status ValidateMetadata(std::string_view json) {
  if (json.size() > kMaxMetadataBytes) {
    return Fail(OpError(Op::kPut, 413,
                        "Metadata length of " + std::to_string(json.size()) + " exceeds limit of " +
                            std::to_string(kMaxMetadataBytes) + "."));
  }
  if (!nlohmann::json::accept(json)) {
    return Fail(OpError(Op::kPut, 400, "Metadata must be valid JSON."));
  }
  return Ok();
}

Status ValidateCacheTtl(std::optional<std::int64_t> cache_ttl) {
  if (!cache_ttl || *cache_ttl >= kMinCacheTtl) return Ok();
  return Fail(OpError(Op::kGet, 400,
                      "Invalid cache_ttl of " + std::to_string(*cache_ttl) +
                          ". Cache TTL must be at least " + std::to_string(kMinCacheTtl) + "."));
}

Result<std::optional<std::int64_t>> ResolveExpiration(std::optional<std::int64_t> expiration,
                                                      std::optional<std::int64_t> expiration_ttl,
                                                      std::int64_t now_s) {
  if (expiration_ttl) {
    const std::string prefix = "Invalid expiration_ttl of " + std::to_string(*expiration_ttl) + ".";
    if (*expiration_ttl <= 0) {
      return Fail(OpError(Op::kPut, 400, prefix + " Please specify integer greater than 0."));
    }
    if (*expiration_ttl < kMinExpirationTtl) {
      return Fail(OpError(
          Op::kPut, 400,
          prefix + " Expiration TTL must be at least " + std::to_string(kMinExpirationTtl) + "."));
    }
    // Saturate rather than overflow: a TTL of centuries is "never" in practice.
    if (*expiration_ttl > std::numeric_limits<std::int64_t>::max() - now_s) {
      return std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::max());
    }
    return std::optional<std::int64_t>(now_s + *expiration_ttl);
  }
  if (!expiration) return std::optional<std::int64_t>();
  const std::string prefix = "Invalid expiration of " + std::to_string(*expiration) + ".";
  if (*expiration <= now_s) {
    return Fail(OpError(Op::kPut, 400,
                        prefix + " Please specify integer greater than the current number of "
                                 "seconds since the UNIX epoch."));
  }
  if (*expiration < now_s + kMinExpirationTtl) {
    return Fail(OpError(Op::kPut, 400,
                        prefix + " Expiration times must be at least " +
                            std::to_string(kMinExpirationTtl) + " seconds in the future."));
  }
  return expiration;
}

Result<std::int64_t> ResolveListLimit(std::int64_t limit) {
  if (limit <= 0) return kMaxListLimit;
  if (limit > kMaxListLimit) {
    return Fail(OpError(Op::kList, 400,
                        "Invalid key_count_limit of " + std::to_string(limit) +
                            ". Please specify an integer less than " +
                            std::to_string(kMaxListLimit) + "."));
  }
  return limit;
}

}  // namespace blaze::kv
