#include "blaze/storage/r2/validation.h"

#include "blaze/base/base64.h"
#include "blaze/storage/r2/r2_errors.h"

namespace blaze::r2 {
namespace {

// The UTF-16 length of UTF-8 `s`, and whether any character is >= U+0100.
std::size_t SerializedLength(std::string_view s) {
  std::size_t units = 0;
  bool wide = false;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (n == 2 && c >= 0xc4) wide = true;  // U+0100 and above
    if (n >= 3) wide = true;
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return wide ? units * 2 : units;
}

bool IsBucketChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

Status ValidateKey(std::string_view key) {
  if (key.size() > kMaxKeyBytes) return Fail(InvalidObjectName());
  return Ok();
}

std::size_t CustomMetadataSize(const CustomMetadata& custom) {
  std::size_t total = 0;
  for (const auto& [k, v] : custom) total += SerializedLength(k) + SerializedLength(v);
  return total;
}

Status ValidatePutOptions(const PutOptions& options) {
  if (CustomMetadataSize(options.custom) > kMaxCustomMetadataSize) {
    return Fail(MetadataTooLarge());
  }
  if (options.storage_class != "Standard" && options.storage_class != "InfrequentAccess") {
    return Fail(InvalidStorageClass(options.storage_class));
  }
  return Ok();
}

Status ValidateBucketName(std::string_view name) {
  bool ok = name.size() >= 3 && name.size() <= 63 && IsBucketChar(name.front()) &&
            IsBucketChar(name.back());
  for (char c : name) ok = ok && (IsBucketChar(c) || c == '-');
  if (!ok) return Fail(InvalidBucketName(name));
  return Ok();
}

std::string EncodeCursor(std::string_view last_key) { return Base64Encode(last_key); }

std::string DecodeCursor(std::string_view cursor) {
  // Our cursors carry '=' only as final padding. In a hand-made one, an '=' has always been
  // skipped like any stray character here, where Node's rule would stop reading at it.
  std::string text(cursor);
  std::erase(text, '=');
  return Base64DecodeLenient(text);
}

}  // namespace blaze::r2
