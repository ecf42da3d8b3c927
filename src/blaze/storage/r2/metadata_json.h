// R2 metadata as JSON, in the shape the JS API uses (camelCase fields; customMetadata as an
// array of [key, value] pairs so their order survives). The index stores these texts and the
// binding sends them to JS, so the two never drift apart.
// Parsing is forgiving of absent fields and strict about types: a wrong type is InvalidArgument.
#pragma once

#include <nlohmann/json.hpp>

#include "blaze/base/result.h"
#include "blaze/storage/r2/r2_types.h"

namespace blaze::r2 {

using Json = nlohmann::ordered_json;

Json HttpMetadataToJson(const HttpMetadata& http);
Result<HttpMetadata> HttpMetadataFromJson(const Json& json);

Json CustomMetadataToJson(const CustomMetadata& custom);
Result<CustomMetadata> CustomMetadataFromJson(const Json& json);

Json ChecksumsToJson(const Checksums& checksums);
Result<Checksums> ChecksumsFromJson(const Json& json);

// The whole object: key, version, size, etag, uploaded (ms), httpMetadata, customMetadata,
// checksums, storageClass. The blob name stays inside storage.
Json ObjectToJson(const ObjectInfo& info);

// Serializes without throwing: invalid UTF-8 (a key typed on a command line) becomes U+FFFD.
std::string DumpJson(const Json& json);

// Parses `text` (a column of the index); DataLoss when it is not JSON.
Result<Json> ParseStoredJson(std::string_view text);

}  // namespace blaze::r2
