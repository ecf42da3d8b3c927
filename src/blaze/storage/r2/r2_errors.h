// The errors R2 reports, with Cloudflare's texts and v4 codes ("... (10020)"), so a worker sees
// what it would see on Cloudflare once the binding prefixes the operation ("put: ..."). Each is
// an ordinary blaze::Error; the code picks the HTTP status / exit code / JS class as usual.
#pragma once

#include <string>
#include <string_view>

#include "blaze/base/error.h"

namespace blaze::r2 {

inline constexpr std::size_t kMaxKeyBytes = 1024;
inline constexpr std::size_t kMaxCustomMetadataSize = 2048;
inline constexpr std::int64_t kMaxListLimit = 1000;
inline constexpr std::int64_t kMaxListLimitWithMetadata = 100;

Error InvalidObjectName();  // 10020, key over 1024 bytes
Error InvalidMaxKeys();     // 10022, list limit outside 1..1000
Error MetadataTooLarge();   // 10012, customMetadata over 2048
Error InvalidRange();       // 10039
Error BadDigest(std::string_view algorithm, std::string_view provided,
                std::string_view actual);  // 10037
Error InvalidStorageClass(std::string_view storage_class);
Error BucketNotEmpty(std::string_view bucket);  // 10008
Error NoSuchBucket(std::string_view bucket);    // 10006
Error InvalidBucketName(std::string_view bucket);
Error NoSuchVersion(std::string_view key, std::string_view version);

}  // namespace blaze::r2
