// WHATWG UTF-8 decoding for TextDecoder (__blazeHost.utf8Decode): invalid sequences become
// U+FFFD using the "maximal subpart" rule, or fail when `fatal`. Pure C++, no JS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace blaze::engine {

enum class Utf8Errors { kReplace, kFatal };
enum class Utf8Bom { kStrip, kKeep };

// nullopt only in kFatal mode, when the input is not valid UTF-8.
std::optional<std::u16string> DecodeUtf8(std::string_view bytes, Utf8Errors errors, Utf8Bom bom);

}  // namespace blaze::engine
