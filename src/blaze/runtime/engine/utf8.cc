#include "blaze/runtime/engine/utf8.h"

#include <cstdint>

namespace blaze::engine {

std::optional<std::u16string> DecodeUtf8(std::string_view bytes, Utf8Errors errors, Utf8Bom bom) {
  std::u16string out;
  out.reserve(bytes.size());
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t n = bytes.size(), i = 0;
  if (bom == Utf8Bom::kStrip && n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;
  while (i < n) {
    std::uint8_t b = p[i];
    if (b < 0x80) {
      out.push_back(b);
      i++;
      continue;
    }
    int needed = 0;
    std::uint32_t cp = 0;
    std::uint8_t lower = 0x80, upper = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      needed = 1, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      needed = 2, cp = b & 0x0F;
      if (b == 0xE0) lower = 0xA0;
      if (b == 0xED) upper = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      needed = 3, cp = b & 0x07;
      if (b == 0xF0) lower = 0x90;
      if (b == 0xF4) upper = 0x8F;
    }
    std::size_t j = i + 1;
    bool ok = needed > 0;
    for (int k = 0; ok && k < needed; k++, j++) {
      if (j >= n || p[j] < lower || p[j] > upper) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (p[j] & 0x3F);
      lower = 0x80, upper = 0xBF;
    }
    if (!ok) {
      if (errors == Utf8Errors::kFatal) return std::nullopt;
      out.push_back(0xFFFD);
      i = (j > i + 1) ? j : i + 1;  // skip the maximal invalid subpart
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i = j;
  }
  return out;
}

}  // namespace blaze::engine
