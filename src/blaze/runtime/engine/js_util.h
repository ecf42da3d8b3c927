// Small JSAPI helpers shared by the engine files: UTF-8 conversion, throwing typed errors from
// natives, and turning a pending exception into "file:line:col: Error: msg" + stack lines.
// Engine-internal (not included outside runtime/).
#pragma once

#include <jsapi.h>
#include <js/CompileOptions.h>
#include <js/Exception.h>

#include <chrono>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "blaze/base/error.h"

namespace blaze::engine {

// UTF-8 of a JS string; lone surrogates become U+FFFD. nullopt = OOM (exception pending).
std::optional<std::string> StringToUtf8(JSContext* cx, JS::HandleString str);
// ToString(v) as UTF-8; on failure clears the exception and returns a placeholder.
std::string ValueToUtf8(JSContext* cx, JS::HandleValue v);
JSString* NewStringUtf8(JSContext* cx, std::string_view utf8);

// Sets a pending exception of the given class ("TypeError", "RangeError", else Error) and
// returns false, so natives can `return ThrowError(cx, JSEXN_TYPEERR, "...")`.
bool ThrowError(JSContext* cx, JSExnType type, std::string_view message);

// Options for code compiled once and instantiated on every core (the prelude, worker bundles).
// The source text is not kept: each core's runtime would otherwise schedule off-thread
// compression of the same shared ScriptSource, and the second one MOZ_CRASHes in a JS helper
// thread ("can't set compressed source when source is already compressed") — seen under load.
// Cost: Function.prototype.toString() of worker code shows no source text.
inline void SetSharedStencilOptions(JS::CompileOptions& options) { options.setDiscardSource(); }

// The trampoline every native goes through (`JS_FN("name", Native<Impl>, ...)`): a C++
// exception never reaches SpiderMonkey; bad_alloc becomes a JS out-of-memory error, anything
// else an Error saying "internal error".
template <bool (*Impl)(JSContext*, JS::CallArgs&)>
bool Native(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  try {
    return Impl(cx, args);
  } catch (const std::bad_alloc&) {
    JS_ReportOutOfMemory(cx);
  } catch (const std::exception& e) {
    ThrowError(cx, JSEXN_ERR, std::string("internal error: ") + e.what());
  } catch (...) {
    ThrowError(cx, JSEXN_ERR, "internal error");
  }
  return false;
}
// The Error's js_class decides the JS class.
bool ThrowBlazeError(JSContext* cx, const Error& error);
// An error object (not thrown), e.g. to reject a promise with.
bool MakeError(JSContext* cx, JSExnType type, std::string_view message,
               JS::MutableHandleValue out);

// Steals the pending exception: "file:line:col: SyntaxError: msg" then stack frames
// ("fn@file:line:col", one per line). Empty when nothing is pending (termination).
std::string TakeExceptionText(JSContext* cx);
// Same formatting for a value that is not pending (a rejection reason).
std::string DescribeException(JSContext* cx, JS::HandleValue exception, JS::HandleObject stack);

// Promise reactions: native functions carrying an id (the invocation's) in reserved slot 0.
JSObject* NewReaction(JSContext* cx, JSNative native, std::uint64_t id, const char* name);
std::uint64_t ReactionId(const JS::CallArgs& args);
// Resolves `value` to a promise (as `await` would) and attaches `on_ok` / `on_error`, both
// carrying `id`, named `names[0]` / `names[1]` in stacks.
bool AttachReactions(JSContext* cx, JS::HandleValue value, JSNative on_ok, JSNative on_error,
                     std::uint64_t id,
                     const std::pair<const char*, const char*>& names = {"onFulfilled",
                                                                         "onRejected"});

// CPU time consumed by the calling thread.
std::chrono::nanoseconds ThreadCpuNow();

}  // namespace blaze::engine
