#include "blaze/bindings/r2_binding.h"

#include <mutex>

#include "blaze/bindings/sync_binding.h"
#include "blaze/storage/r2/metadata_json.h"

namespace blaze::bindings {
namespace {

using r2::Json;

Status Expect(bool ok, std::string_view what) {
  if (!ok) return Fail(InvalidArgument(std::string(what)));
  return Ok();
}

Result<std::string> KeyOf(const Json& args) {
  auto it = args.find("key");
  BLAZE_TRY_VOID(Expect(it != args.end() && it->is_string(), "key must be a string"));
  return it->get<std::string>();
}

std::optional<std::string> OptionalString(const Json& args, const char* field) {
  auto it = args.find(field);
  if (it == args.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::int64_t> OptionalInt(const Json& args, const char* field) {
  auto it = args.find(field);
  if (it == args.end() || !it->is_number()) return std::nullopt;
  return static_cast<std::int64_t>(it->get<double>());
}

Result<std::optional<std::vector<r2::EtagMatch>>> EtagsOf(const Json& args, const char* field) {
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) return std::optional<std::vector<r2::EtagMatch>>();
  BLAZE_TRY_VOID(Expect(it->is_array(), std::string(field) + " must be an array"));
  std::vector<r2::EtagMatch> out;
  for (const Json& e : *it) {
    BLAZE_TRY_VOID(Expect(e.is_object(), std::string(field) + " entries must be objects"));
    std::string type = OptionalString(e, "type").value_or("strong");
    r2::EtagMatch m;
    m.kind = type == "wildcard" ? r2::EtagMatch::Kind::kWildcard
             : type == "weak"   ? r2::EtagMatch::Kind::kWeak
                                : r2::EtagMatch::Kind::kStrong;
    m.value = OptionalString(e, "value").value_or("");
    out.push_back(std::move(m));
  }
  return std::optional<std::vector<r2::EtagMatch>>(std::move(out));
}

Result<std::optional<r2::Conditional>> ConditionalOf(const Json& args) {
  auto it = args.find("onlyIf");
  if (it == args.end() || it->is_null()) return std::optional<r2::Conditional>();
  BLAZE_TRY_VOID(Expect(it->is_object(), "onlyIf must be an object"));
  r2::Conditional c;
  BLAZE_TRY(c.etag_matches, EtagsOf(*it, "etagMatches"));
  BLAZE_TRY(c.etag_does_not_match, EtagsOf(*it, "etagDoesNotMatch"));
  c.uploaded_before_ms = OptionalInt(*it, "uploadedBefore");
  c.uploaded_after_ms = OptionalInt(*it, "uploadedAfter");
  auto seconds = it->find("secondsGranularity");
  c.seconds_granularity = seconds != it->end() && seconds->is_boolean() && seconds->get<bool>();
  return std::optional<r2::Conditional>(std::move(c));
}

// The buffer `args[field]` refers to ({"$buffer": i}); empty when absent.
Result<std::string_view> BufferOf(const Json& args, const char* field,
                                  const std::vector<std::string>& buffers) {
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) return std::string_view();
  BLAZE_TRY_VOID(Expect(it->is_object() && it->contains("$buffer") &&
                            (*it)["$buffer"].is_number_unsigned() &&
                            (*it)["$buffer"].get<std::size_t>() < buffers.size(),
                        std::string(field) + " must be a buffer"));
  return std::string_view(buffers[(*it)["$buffer"].get<std::size_t>()]);
}

Json RangeJson(const r2::ByteRange& r) { return {{"offset", r.offset}, {"length", r.length}}; }

engine::BindingReply Reply(const Json& json) { return {r2::DumpJson(json), {}}; }

class R2Binding final : public SyncBinding {
 public:
  R2Binding(std::shared_ptr<r2::R2Service> r2, std::string bucket)
      : r2_(std::move(r2)), bucket_name_(std::move(bucket)) {}

 private:
  Result<std::shared_ptr<r2::Bucket>> Bucket() {
    std::lock_guard lock(mu_);
    if (!bucket_) {
      BLAZE_TRY(bucket_, r2_->OpenOrCreateBucket(bucket_name_));
    }
    return bucket_;
  }

  Result<engine::BindingReply> Run(engine::BindingCall& call) override {
    BLAZE_TRY(Json args, ParseArgs<Json>(call, "R2 binding"));
    BLAZE_TRY(auto bucket, Bucket());
    if (call.op == "head") return Head(*bucket, args);
    if (call.op == "get") return Get(*bucket, args);
    if (call.op == "put") return Put(*bucket, args, call.buffers);
    if (call.op == "delete") return Delete(*bucket, args);
    if (call.op == "list") return List(*bucket, args);
    return Fail(InvalidArgument("R2 binding: unknown operation '" + call.op + "'"));
  }

  Result<engine::BindingReply> Head(r2::Bucket& bucket, const Json& args) {
    BLAZE_TRY(std::string key, KeyOf(args));
    BLAZE_TRY(auto info, bucket.Head(key));
    if (!info) return Reply(nullptr);
    return Reply({{"object", r2::ObjectToJson(*info)}, {"range", RangeJson({0, info->size})}});
  }

  Result<engine::BindingReply> Get(r2::Bucket& bucket, const Json& args) {
    BLAZE_TRY(std::string key, KeyOf(args));
    r2::GetOptions options;
    BLAZE_TRY(options.only_if, ConditionalOf(args));
    if (auto it = args.find("range"); it != args.end() && it->is_object()) {
      options.range = r2::RangeRequest{OptionalInt(*it, "offset"), OptionalInt(*it, "length"),
                                       OptionalInt(*it, "suffix")};
    }
    options.range_header = OptionalString(args, "rangeHeader");
    BLAZE_TRY(auto got, bucket.Get(key, options));
    if (!got) return Reply(nullptr);
    Json reply = {{"object", r2::ObjectToJson(got->info)}, {"range", RangeJson(got->range)}};
    engine::BindingReply out;
    if (!got->precondition_failed) {
      reply["body"] = {{"$buffer", 0}};
      out.buffers.push_back(std::move(got->body));
    }
    out.json = r2::DumpJson(reply);
    return out;
  }

  Result<engine::BindingReply> Put(r2::Bucket& bucket, const Json& args,
                                   const std::vector<std::string>& buffers) {
    BLAZE_TRY(std::string key, KeyOf(args));
    BLAZE_TRY(std::string_view body, BufferOf(args, "body", buffers));
    r2::PutOptions options;
    if (auto it = args.find("httpMetadata"); it != args.end()) {
      BLAZE_TRY(options.http, r2::HttpMetadataFromJson(*it));
    }
    if (auto it = args.find("customMetadata"); it != args.end()) {
      BLAZE_TRY(options.custom, r2::CustomMetadataFromJson(*it));
    }
    BLAZE_TRY(options.only_if, ConditionalOf(args));
    options.md5 = OptionalString(args, "md5");
    options.sha1 = OptionalString(args, "sha1");
    options.sha256 = OptionalString(args, "sha256");
    options.sha384 = OptionalString(args, "sha384");
    options.sha512 = OptionalString(args, "sha512");
    if (auto sc = OptionalString(args, "storageClass")) options.storage_class = *sc;
    BLAZE_TRY(auto stored, bucket.Put(key, body, options));
    if (!stored) return Reply(nullptr);
    return Reply({{"object", r2::ObjectToJson(*stored)}});
  }

  Result<engine::BindingReply> Delete(r2::Bucket& bucket, const Json& args) {
    auto it = args.find("keys");
    BLAZE_TRY_VOID(Expect(it != args.end() && it->is_array(), "keys must be an array"));
    std::vector<std::string> keys;
    for (const Json& k : *it) {
      BLAZE_TRY_VOID(Expect(k.is_string(), "keys must be strings"));
      keys.push_back(k.get<std::string>());
    }
    BLAZE_TRY_VOID(bucket.Delete(keys));
    return Reply(nullptr);
  }

  Result<engine::BindingReply> List(r2::Bucket& bucket, const Json& args) {
    r2::ListOptions options;
    options.prefix = OptionalString(args, "prefix").value_or("");
    options.delimiter = OptionalString(args, "delimiter").value_or("");
    options.cursor = OptionalString(args, "cursor").value_or("");
    options.start_after = OptionalString(args, "startAfter").value_or("");
    options.limit = OptionalInt(args, "limit");
    if (auto it = args.find("include"); it != args.end() && it->is_array()) {
      for (const Json& v : *it) {
        if (v == "httpMetadata") options.include_http = true;
        if (v == "customMetadata") options.include_custom = true;
      }
    }
    BLAZE_TRY(auto listed, bucket.List(options));
    Json objects = Json::array();
    for (const auto& o : listed.objects) objects.push_back(r2::ObjectToJson(o));
    Json reply = {{"objects", std::move(objects)},
                  {"truncated", listed.truncated},
                  {"delimitedPrefixes", listed.delimited_prefixes}};
    if (listed.truncated) reply["cursor"] = listed.cursor;
    return Reply(reply);
  }

  std::shared_ptr<r2::R2Service> r2_;
  std::string bucket_name_;
  std::mutex mu_;  // guards bucket_
  std::shared_ptr<r2::Bucket> bucket_;
};

}  // namespace

std::shared_ptr<engine::BindingService> NewR2Binding(std::shared_ptr<r2::R2Service> r2,
                                                     std::string bucket) {
  return std::make_shared<R2Binding>(std::move(r2), std::move(bucket));
}

}  // namespace blaze::bindings
