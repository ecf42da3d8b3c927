// The Web API prelude: classic scripts evaluated in every new worker realm, in order, after
// `globalThis.__blazeHost` is defined and before the worker's modules. The production list is
// generated at build time from runtime/webapi/js/manifest.txt (embed_prelude.cmake); tests may
// pass their own list through EngineOptions.
#pragma once

#include <js/experimental/JSStencil.h>

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "blaze/base/result.h"

struct JSContext;

namespace blaze::engine {

struct PreludeFile {
  std::string_view name;    // "webapi/headers.js": the file name in stack traces
  std::string_view source;  // UTF-8 script text
};

// Empty when manifest.txt did not exist at configure time.
std::span<const PreludeFile> EmbeddedPrelude();

// The prelude compiled to Stencils: immutable, so one compilation serves every core (compiling
// it once per Engine cost each core's start-up ~10 ms).
using CompiledPrelude = std::vector<RefPtr<JS::Stencil>>;

// Compiles `files` on `cx` (any context with self-hosted code). Internal with the file and the
// SyntaxError when a file does not compile.
Result<std::shared_ptr<const CompiledPrelude>> CompilePrelude(JSContext* cx,
                                                              std::span<const PreludeFile> files);

}  // namespace blaze::engine
