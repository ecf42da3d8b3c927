#include "blaze/runtime/engine/worker_bundle.h"

#include <jsapi.h>
#include <js/CompilationAndEvaluation.h>
#include <js/Initialization.h>
#include <js/SourceText.h>

#include <vector>

#include "blaze/runtime/engine/js_process.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/module_graph.h"
#include "blaze/runtime/engine/worker_realm.h"

namespace blaze::engine {

std::optional<std::string> NormalizeModulePath(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view segment = path.substr(i, j - i);
    if (segment == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.push_back(segment);
    }
    i = j + 1;
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> ResolveModuleSpecifier(std::string_view referrer,
                                                  std::string_view specifier) {
  bool relative = specifier.starts_with("./") || specifier.starts_with("../");
  if (!relative) return NormalizeModulePath(specifier);
  std::size_t slash = referrer.rfind('/');
  std::string joined(slash == std::string_view::npos ? "" : referrer.substr(0, slash + 1));
  joined += specifier;
  return NormalizeModulePath(joined);
}

JS::Stencil* WorkerBundle::FindStencil(std::string_view path) const {
  auto it = stencils_.find(path);
  return it == stencils_.end() ? nullptr : it->second.get();
}

Result<std::shared_ptr<const WorkerBundle>> WorkerBundle::Compile(JSContext* cx,
                                                                 BundleSource source) {
  std::shared_ptr<WorkerBundle> bundle(new WorkerBundle());
  auto main = NormalizeModulePath(source.main_module);
  if (!main) return Fail(InvalidArgument("invalid main module path '" + source.main_module + "'"));
  bundle->main_module_ = *main;

  JS::RootedObject scratch(cx, WorkerRealm::NewGlobal(cx));
  if (!scratch) return Fail(ResourceExhausted("out of memory creating a compile realm"));
  JSAutoRealm ar(cx, scratch);
  for (const auto& [raw_path, text] : source.modules) {
    auto path = NormalizeModulePath(raw_path);
    if (!path) return Fail(InvalidArgument("invalid module path '" + raw_path + "'"));
    JS::CompileOptions options(cx);
    options.setFileAndLine(path->c_str(), 1);
    SetSharedStencilOptions(options);
    JS::SourceText<mozilla::Utf8Unit> src;
    if (!src.init(cx, text.data(), text.size(), JS::SourceOwnership::Borrowed))
      return Fail(ResourceExhausted(TakeExceptionText(cx)));
    RefPtr<JS::Stencil> stencil = JS::CompileModuleScriptToStencil(cx, options, src);
    if (!stencil) return Fail(InvalidArgument(TakeExceptionText(cx)));
    bundle->stencils_.emplace(*path, std::move(stencil));
    bundle->source_bytes_ += text.size();
  }
  if (!bundle->FindStencil(bundle->main_module_))
    return Fail(InvalidArgument("main module '" + bundle->main_module_ + "' is not in the bundle"));

  std::shared_ptr<const WorkerBundle> result = bundle;
  {
    ModuleGraph graph(cx, result.get());  // link once: missing imports/exports fail the deploy
    if (!graph.LinkMain(cx)) return Fail(InvalidArgument(TakeExceptionText(cx)));
  }
  return result;
}

Result<std::unique_ptr<BundleCompiler>> BundleCompiler::Create(JsProcess& process) {
  JSContext* cx = JS_NewContext(JS::DefaultHeapMaxBytes * 8, process.parent_runtime());
  if (!cx) return Fail(ResourceExhausted("JS_NewContext failed"));
  JS_SetNativeStackQuota(cx, 512 * 1024);  // compile threads may have small stacks
  if (!JS::InitSelfHostedCode(cx)) {
    JS_DestroyContext(cx);
    return Fail(Internal("InitSelfHostedCode failed"));
  }
  InstallModuleHooks(cx);
  return std::unique_ptr<BundleCompiler>(new BundleCompiler(cx));
}

BundleCompiler::~BundleCompiler() { JS_DestroyContext(cx_); }

Result<std::shared_ptr<const CompiledPrelude>> BundleCompiler::CompileEmbeddedPrelude() {
  return LoadEmbeddedPrelude(cx_);
}

Result<std::shared_ptr<const WorkerBundle>> BundleCompiler::Compile(BundleSource source) {
  return WorkerBundle::Compile(cx_, std::move(source));
}

}  // namespace blaze::engine
