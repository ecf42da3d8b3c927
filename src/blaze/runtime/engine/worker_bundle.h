// WorkerBundle: one immutable worker version — a set of ES modules (path -> source) and the
// main module — compiled once to SpiderMonkey Stencils. Compilation runs on any thread that
// has a JSContext (an Engine or a BundleCompiler); the result is shared across cores as
// std::shared_ptr<const WorkerBundle> (Stencils are immutable and refcounted thread-safely).
// Each core instantiates it lazily in its own realm (see WorkerRealm).
//
// Module paths are relative to the bundle root without a leading slash ("lib/util.js").
// Imports: "./x.js" and "../x.js" resolve against the importing module's directory; other
// specifiers are looked up as bundle paths. Errors: InvalidArgument with
// "file:line:column: SyntaxError: message" for a syntax error, or the link error (missing
// module / missing export) with its location.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <js/experimental/JSStencil.h>

#include "blaze/base/result.h"
#include "blaze/runtime/engine/prelude.h"

struct JSContext;

namespace blaze::engine {

class JsProcess;

struct BundleSource {
  std::string main_module;                     // "worker.js"
  std::map<std::string, std::string> modules;  // path -> UTF-8 source
};

class WorkerBundle {
 public:
  // Compiles every module and links the graph once in a scratch realm of `cx`, so missing
  // imports are reported here rather than on the first request. `cx` must have the module
  // hooks installed (Engine and BundleCompiler contexts do).
  static Result<std::shared_ptr<const WorkerBundle>> Compile(JSContext* cx, BundleSource source);

  const std::string& main_module() const { return main_module_; }
  JS::Stencil* FindStencil(std::string_view path) const;  // nullptr when absent
  std::size_t module_count() const { return stencils_.size(); }
  std::size_t source_bytes() const { return source_bytes_; }

 private:
  WorkerBundle() = default;
  std::string main_module_;
  std::map<std::string, RefPtr<JS::Stencil>, std::less<>> stencils_;
  std::size_t source_bytes_ = 0;
};

// A JSContext of its own for compiling bundles off the cores (e.g. on a deploy thread). Must
// be created, used and destroyed on one thread, which must not also host an Engine.
class BundleCompiler {
 public:
  static Result<std::unique_ptr<BundleCompiler>> Create(JsProcess& process);
  ~BundleCompiler();
  BundleCompiler(const BundleCompiler&) = delete;
  BundleCompiler& operator=(const BundleCompiler&) = delete;

  Result<std::shared_ptr<const WorkerBundle>> Compile(BundleSource source);
  // The embedded Web API prelude for every Engine (EngineOptions::compiled_prelude): decoded from
  // its build-time XDR, or compiled from source when that does not match (LoadEmbeddedPrelude).
  Result<std::shared_ptr<const CompiledPrelude>> CompileEmbeddedPrelude();

 private:
  explicit BundleCompiler(JSContext* cx) : cx_(cx) {}
  JSContext* cx_;
};

// "a/./b/../c.js" -> "a/c.js"; leading "/" and "./" dropped. nullopt if it escapes the root.
std::optional<std::string> NormalizeModulePath(std::string_view path);
// Resolves an import specifier written in module `referrer`.
std::optional<std::string> ResolveModuleSpecifier(std::string_view referrer,
                                                  std::string_view specifier);

}  // namespace blaze::engine
