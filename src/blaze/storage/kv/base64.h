// Base64 (RFC 4648, standard alphabet, padded) for KV: list cursors (the base64 of the last key
// returned, as Cloudflare's local runtime makes them) and binary values in `kv export` /
// `kv bulk put` files.
#pragma once

#include <string>
#include <string_view>

namespace blaze::kv {

std::string Base64Encode(std::string_view bytes);

// Decodes leniently, like Node's Buffer.from(text, 'base64'), which is what wrangler uses on
// bulk files: characters outside the alphabet are skipped, the URL-safe '-' and '_' are
// accepted, decoding stops at the first '='. A trailing lone character is dropped.
std::string Base64Decode(std::string_view text);

}  // namespace blaze::kv
