#include "blaze/base/base64.h"

#include <array>
#include <cstdint>

namespace blaze {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using DecodeTable = std::array<std::int8_t, 256>;

// Each byte's value in `alphabet`, -1 for bytes outside it.
constexpr DecodeTable MakeDecodeTable(std::string_view alphabet) {
  DecodeTable table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr DecodeTable kStandardValues = MakeDecodeTable(kStandard);

// Node reads both alphabets at once, so the lenient decoder does too.
constexpr DecodeTable kLenientValues = [] {
  DecodeTable table = MakeDecodeTable(kStandard);
  table['-'] = 62;
  table['_'] = 63;
  return table;
}();

enum class Padding : bool { kNo, kYes };

std::string Encode(std::string_view bytes, std::string_view alphabet, Padding padding) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  auto at = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  std::uint32_t n = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
  out += alphabet[(n >> 18) & 63];
  out += alphabet[(n >> 12) & 63];
  if (rest == 2) out += alphabet[(n >> 6) & 63];
  if (padding == Padding::kYes) out.append(3 - rest, '=');
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return Encode(bytes, kStandard, Padding::kYes); }

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kUrl, Padding::kNo); }

Result<std::string> Base64DecodeStrict(std::string_view text, std::string_view what) {
  auto bad = [&] { return Fail(InvalidArgument(std::string(what) + " is not valid base64")); };
  if (text.size() % 4 != 0) return bad();
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    // Only the last group may end in "=" or "=="; an '=' anywhere else is not in the alphabet.
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t n = 0;
    for (int k = 0; k < 4; ++k) {
      int v = 0;
      if (k < 4 - pad) {
        v = kStandardValues[static_cast<unsigned char>(text[i + k])];
        if (v < 0) return bad();
      }
      n = (n << 6) | static_cast<std::uint32_t>(v);
    }
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

std::string Base64DecodeLenient(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  // `acc` only grows; its high bits fall off harmlessly, as only the newest 12 are ever read.
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    std::int8_t v = kLenientValues[static_cast<unsigned char>(c)];
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace blaze
