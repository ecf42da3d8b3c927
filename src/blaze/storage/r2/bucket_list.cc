// Bucket::List: R2's listing (pinned against wrangler dev): keys in UTF-8 byte order after
// max(startAfter, cursor); with a delimiter, keys sharing "prefix + ... + delimiter" collapse
// into one delimited prefix, which counts toward `limit` like an object and whose last key
// becomes the cursor; `truncated` when more would follow.
#include <algorithm>

#include "blaze/storage/r2/bucket.h"
#include "blaze/storage/r2/r2_errors.h"
#include "blaze/storage/r2/validation.h"

namespace blaze::r2 {
namespace {

// The least string greater than every string starting with `prefix`; nullopt when none is.
std::optional<std::string> PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

Result<std::int64_t> EffectiveLimit(const ListOptions& o) {
  std::int64_t limit = o.limit.value_or(kMaxListLimit);
  if (limit < 1 || limit > kMaxListLimit) return Fail(InvalidMaxKeys());
  if (o.include_http || o.include_custom) limit = std::min(limit, kMaxListLimitWithMetadata);
  return limit;
}

void TrimMetadata(const ListOptions& o, ObjectInfo* info) {
  if (!o.include_http) info->http = {};
  if (!o.include_custom) info->custom.clear();
  info->blob.clear();
}

}  // namespace

Result<ListResult> Bucket::List(const ListOptions& o) {
  BLAZE_TRY(std::int64_t limit, EffectiveLimit(o));
  KeyRange range{o.prefix, PrefixEnd(o.prefix), std::nullopt};
  if (!o.start_after.empty()) range.after = o.start_after;
  if (!o.cursor.empty()) {
    std::string from_cursor = DecodeCursor(o.cursor);
    if (!range.after || from_cursor > *range.after) range.after = from_cursor;
  }
  ListResult result;
  std::int64_t items = 0;
  std::string last_key;
  std::lock_guard lock(mu_);
  for (bool restart = true; restart;) {
    restart = false;
    BLAZE_TRY(auto batch, index_->Scan(range, limit - items + 1));
    for (ObjectInfo& object : batch) {
      if (items == limit) {
        result.truncated = true;
        break;
      }
      std::size_t at =
          o.delimiter.empty() ? std::string::npos : object.key.find(o.delimiter, o.prefix.size());
      if (at != std::string::npos) {
        std::string group = object.key.substr(0, at + o.delimiter.size());
        BLAZE_TRY(auto group_last, index_->LastKey({group, PrefixEnd(group), range.after}));
        result.delimited_prefixes.push_back(group);
        last_key = group_last.value_or(object.key);
        range.after = last_key;
        ++items;
        restart = true;  // continue after the whole group
        break;
      }
      last_key = object.key;
      range.after = last_key;
      TrimMetadata(o, &object);
      result.objects.push_back(std::move(object));
      ++items;
    }
  }
  if (result.truncated) result.cursor = EncodeCursor(last_key);
  return result;
}

}  // namespace blaze::r2
