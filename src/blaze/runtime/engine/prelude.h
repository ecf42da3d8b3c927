// The Web API prelude: classic scripts evaluated in every new worker realm, in order, after
// `globalThis.__blazeHost` is defined and before the worker's modules. The production list is
// generated at build time from runtime/webapi/js/manifest.txt (embed_prelude.cmake); tests may
// pass their own list through EngineOptions.
//
// Start-up: the embedded prelude is also compiled at BUILD time (prelude_xdr_tool.cc) and stored
// in the binary as SpiderMonkey XDR, together with SpiderMonkey's own self-hosted code. Decoding
// both costs ~3 ms instead of ~40 ms of parsing per process. Any mismatch (another libmozjs build,
// other prelude sources, a damaged blob) is detected before SpiderMonkey sees the bytes: the
// prelude is then compiled from its sources, with a WARN (`engine.xdr.rejected`).
#pragma once

#include <js/experimental/JSStencil.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
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
// SHA-256 (hex) of the embedded files' names and texts, computed at build time.
std::string_view EmbeddedPreludeDigest();

// The prelude compiled to Stencils: immutable, so one compilation serves every core (compiling
// it once per Engine cost each core's start-up ~10 ms).
using CompiledPrelude = std::vector<RefPtr<JS::Stencil>>;

// Compiles `files` on `cx` (any context with self-hosted code). Internal with the file and the
// SyntaxError when a file does not compile.
Result<std::shared_ptr<const CompiledPrelude>> CompilePrelude(JSContext* cx,
                                                              std::span<const PreludeFile> files);

// ---- Build-time XDR ----------------------------------------------------------------------------
// A blob is an envelope (magic, kind, SpiderMonkey build id, source digest, payload size, CRC-32)
// followed by the payload. Blobs start 16-byte aligned; payloads do too.

// Written by blaze_prelude_xdr into prelude_xdr.cc. Empty spans in the tool itself.
std::span<const std::uint8_t> EmbeddedPreludeXdr();
std::span<const std::uint8_t> EmbeddedSelfHostedXdr();

enum class XdrKind : std::uint8_t { kPrelude = 1, kSelfHosted = 2 };

// SpiderMonkey refuses XDR unless the embedder names its build (JS::SetProcessBuildIdOp). Ours is
// derived from libmozjs's GNU build id, so a blob made against one libmozjs is never decoded by
// another. Call before JS_Init (JsProcess::Start does); idempotent.
void InstallXdrBuildId();
std::string XdrBuildId();

std::vector<std::uint8_t> SealXdr(XdrKind kind, std::string_view digest,
                                  std::span<const std::uint8_t> payload);
// The payload, or FailedPrecondition naming what does not match.
Result<std::span<const std::uint8_t>> OpenXdr(std::span<const std::uint8_t> blob, XdrKind kind,
                                              std::string_view digest);

// The stencils of `prelude` (compiled from the sources whose digest is `digest`) as one blob.
Result<std::vector<std::uint8_t>> EncodePrelude(JSContext* cx, const CompiledPrelude& prelude,
                                                std::string_view digest);

// kStatic: the blob outlives the process's JS (embedded data); the stencils then point into it
// instead of copying the bytecode. kCopy: the stencils own copies.
enum class XdrBuffer : bool { kCopy, kStatic };
// FailedPrecondition when the blob does not match (build id, digest, count, checksum) or
// SpiderMonkey refuses it.
Result<std::shared_ptr<const CompiledPrelude>> DecodePrelude(JSContext* cx,
                                                             std::span<const std::uint8_t> blob,
                                                             std::string_view digest,
                                                             std::size_t file_count,
                                                             XdrBuffer buffer);

enum class PreludeOrigin { kXdr, kCompiled };
struct LoadedPrelude {
  std::shared_ptr<const CompiledPrelude> stencils;
  PreludeOrigin origin;
};
// Decodes `xdr` when it matches `files` (identified by `digest`); otherwise logs WARN
// engine.xdr.rejected and compiles `files`.
Result<LoadedPrelude> LoadPrelude(JSContext* cx, std::span<const PreludeFile> files,
                                  std::string_view digest, std::span<const std::uint8_t> xdr,
                                  XdrBuffer buffer);
// LoadPrelude of the embedded prelude and its embedded XDR.
Result<std::shared_ptr<const CompiledPrelude>> LoadEmbeddedPrelude(JSContext* cx);

// The cache for JS::InitSelfHostedCode(cx, cache): the embedded self-hosted XDR when it matches
// this libmozjs, else empty (SpiderMonkey then parses its self-hosted sources) with a WARN.
std::span<const std::uint8_t> SelfHostedCache();

}  // namespace blaze::engine
