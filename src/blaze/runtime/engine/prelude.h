// The Web API prelude: classic scripts evaluated in every new worker realm, in order, after
// `globalThis.__blazeHost` is defined and before the worker's modules. The production list is
// generated at build time from runtime/webapi/js/manifest.txt (embed_prelude.cmake); tests may
// pass their own list through EngineOptions.
#pragma once

#include <span>
#include <string_view>

namespace blaze::engine {

struct PreludeFile {
  std::string_view name;    // "webapi/headers.js": the file name in stack traces
  std::string_view source;  // UTF-8 script text
};

// Empty when manifest.txt did not exist at configure time.
std::span<const PreludeFile> EmbeddedPrelude();

}  // namespace blaze::engine
