#include "blaze/storage/r2/validation.h"

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

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
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

std::string EncodeCursor(std::string_view last_key) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : last_key) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64[(acc << (6 - bits)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::string DecodeCursor(std::string_view cursor) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : cursor) {
    int v = Base64Value(c);
    if (v < 0) continue;  // padding and stray characters
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace blaze::r2
