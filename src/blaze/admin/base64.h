// Base64 (RFC 4648, standard alphabet, padded) for the bytes /api/v1/exec carries in JSON:
// stdin, attached files, outputs and stdout.
#pragma once

#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::admin {

std::string Base64Encode(std::string_view bytes);
// InvalidArgument naming `what` for anything but padded standard base64 (no whitespace).
Result<std::string> Base64Decode(std::string_view text, std::string_view what);

}  // namespace blaze::admin
