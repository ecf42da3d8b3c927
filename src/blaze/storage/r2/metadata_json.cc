#include "blaze/storage/r2/metadata_json.h"

namespace blaze::r2 {
namespace {

struct HttpField {
  const char* name;
  std::optional<std::string> HttpMetadata::*member;
};

constexpr HttpField kHttpFields[] = {
    {"contentType", &HttpMetadata::content_type},
    {"contentLanguage", &HttpMetadata::content_language},
    {"contentDisposition", &HttpMetadata::content_disposition},
    {"contentEncoding", &HttpMetadata::content_encoding},
    {"cacheControl", &HttpMetadata::cache_control},
};

struct ChecksumField {
  const char* name;
  std::optional<std::string> Checksums::*member;
};

constexpr ChecksumField kChecksumFields[] = {
    {"sha1", &Checksums::sha1},
    {"sha256", &Checksums::sha256},
    {"sha384", &Checksums::sha384},
    {"sha512", &Checksums::sha512},
};

Status Expect(bool ok, std::string_view what) {
  if (!ok) return Fail(InvalidArgument("R2 metadata: " + std::string(what)));
  return Ok();
}

}  // namespace

Json HttpMetadataToJson(const HttpMetadata& http) {
  Json out = Json::object();
  for (const HttpField& f : kHttpFields) {
    if (http.*f.member) out[f.name] = *(http.*f.member);
  }
  if (http.cache_expiry_ms) out["cacheExpiry"] = *http.cache_expiry_ms;
  return out;
}

Result<HttpMetadata> HttpMetadataFromJson(const Json& json) {
  HttpMetadata http;
  if (json.is_null()) return http;
  BLAZE_TRY_VOID(Expect(json.is_object(), "httpMetadata must be an object"));
  for (const HttpField& f : kHttpFields) {
    auto it = json.find(f.name);
    if (it == json.end() || it->is_null()) continue;
    BLAZE_TRY_VOID(Expect(it->is_string(), std::string(f.name) + " must be a string"));
    http.*f.member = it->get<std::string>();
  }
  if (auto it = json.find("cacheExpiry"); it != json.end() && !it->is_null()) {
    BLAZE_TRY_VOID(Expect(it->is_number(), "cacheExpiry must be a number"));
    http.cache_expiry_ms = static_cast<std::int64_t>(it->get<double>());
  }
  return http;
}

Json CustomMetadataToJson(const CustomMetadata& custom) {
  Json out = Json::array();
  for (const auto& [k, v] : custom) out.push_back(Json::array({k, v}));
  return out;
}

Result<CustomMetadata> CustomMetadataFromJson(const Json& json) {
  CustomMetadata custom;
  if (json.is_null()) return custom;
  BLAZE_TRY_VOID(Expect(json.is_array(), "customMetadata must be an array of pairs"));
  for (const Json& pair : json) {
    BLAZE_TRY_VOID(
        Expect(pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string(),
               "customMetadata entries must be [string, string]"));
    custom.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return custom;
}

Json ChecksumsToJson(const Checksums& checksums) {
  Json out = Json::object();
  out["md5"] = checksums.md5;
  for (const ChecksumField& f : kChecksumFields) {
    if (checksums.*f.member) out[f.name] = *(checksums.*f.member);
  }
  return out;
}

Result<Checksums> ChecksumsFromJson(const Json& json) {
  Checksums checksums;
  BLAZE_TRY_VOID(Expect(json.is_object(), "checksums must be an object"));
  if (auto it = json.find("md5"); it != json.end() && it->is_string()) {
    checksums.md5 = it->get<std::string>();
  }
  for (const ChecksumField& f : kChecksumFields) {
    auto it = json.find(f.name);
    if (it != json.end() && it->is_string()) checksums.*f.member = it->get<std::string>();
  }
  return checksums;
}

Json ObjectToJson(const ObjectInfo& info) {
  Json out = Json::object();
  out["key"] = info.key;
  out["version"] = info.version;
  out["size"] = info.size;
  out["etag"] = info.etag;
  out["uploaded"] = info.uploaded_ms;
  out["httpMetadata"] = HttpMetadataToJson(info.http);
  out["customMetadata"] = CustomMetadataToJson(info.custom);
  out["checksums"] = ChecksumsToJson(info.checksums);
  out["storageClass"] = info.storage_class;
  return out;
}

std::string DumpJson(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Json> ParseStoredJson(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Fail(DataLoss("R2 index: a metadata column is not JSON"));
  return json;
}

}  // namespace blaze::r2
