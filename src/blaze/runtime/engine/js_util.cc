#include "blaze/runtime/engine/js_util.h"

#include <js/Conversions.h>
#include <js/CharacterEncoding.h>
#include <js/ErrorReport.h>
#include <js/SavedFrameAPI.h>
#include <js/String.h>
#include <js/Promise.h>
#include <jsfriendapi.h>

#include <ctime>

namespace blaze::engine {
namespace {

const JSErrorFormatString kErrorFormats[] = {
    {"BlazeError", "{0}", 1, JSEXN_ERR},
    {"BlazeTypeError", "{0}", 1, JSEXN_TYPEERR},
    {"BlazeRangeError", "{0}", 1, JSEXN_RANGEERR},
};

const JSErrorFormatString* GetErrorFormat(void*, const unsigned number) {
  return number < std::size(kErrorFormats) ? &kErrorFormats[number] : nullptr;
}

unsigned FormatIndex(JSExnType type) {
  if (type == JSEXN_TYPEERR) return 1;
  if (type == JSEXN_RANGEERR) return 2;
  return 0;
}

std::string StackText(JSContext* cx, JS::HandleObject stack) {
  if (!stack) return {};
  JS::RootedString text(cx);
  if (!JS::BuildStackString(cx, nullptr, stack, &text, 0)) {
    JS_ClearPendingException(cx);
    return {};
  }
  auto utf8 = StringToUtf8(cx, text);
  if (!utf8) {
    JS_ClearPendingException(cx);
    return {};
  }
  while (!utf8->empty() && utf8->back() == '\n') utf8->pop_back();
  return *utf8;
}

}  // namespace

std::optional<std::string> StringToUtf8(JSContext* cx, JS::HandleString str) {
  JSLinearString* linear = JS_EnsureLinearString(cx, str);
  if (!linear) return std::nullopt;
  std::string out(JS::GetDeflatedUTF8StringLength(linear), '\0');
  size_t written = JS::DeflateStringToUTF8Buffer(linear, mozilla::Span(out.data(), out.size()));
  out.resize(written);
  return out;
}

std::string ValueToUtf8(JSContext* cx, JS::HandleValue v) {
  JS::RootedString str(cx, JS::ToString(cx, v));
  std::optional<std::string> out;
  if (str) out = StringToUtf8(cx, str);
  if (!out) {
    JS_ClearPendingException(cx);
    return "<unprintable value>";
  }
  return *out;
}

JSString* NewStringUtf8(JSContext* cx, std::string_view utf8) {
  return JS_NewStringCopyUTF8N(cx, JS::UTF8Chars(utf8.data(), utf8.size()));
}

bool ThrowError(JSContext* cx, JSExnType type, std::string_view message) {
  std::string text(message);
  JS_ReportErrorNumberUTF8(cx, GetErrorFormat, nullptr, FormatIndex(type), text.c_str());
  return false;
}

bool ThrowBlazeError(JSContext* cx, const Error& error) {
  JSExnType type = error.js_class() == "TypeError"    ? JSEXN_TYPEERR
                   : error.js_class() == "RangeError" ? JSEXN_RANGEERR
                                                      : JSEXN_ERR;
  return ThrowError(cx, type, error.message());
}

bool MakeError(JSContext* cx, JSExnType type, std::string_view message,
               JS::MutableHandleValue out) {
  ThrowError(cx, type, message);
  if (!JS_GetPendingException(cx, out)) return false;
  JS_ClearPendingException(cx);
  return true;
}

std::string DescribeException(JSContext* cx, JS::HandleValue exception,
                              JS::HandleObject stack_in) {
  std::string out;
  JS::RootedObject stack(cx, stack_in);
  JS::ErrorReportBuilder builder(cx);
  JS::ExceptionStack es(cx, exception, stack);
  if (builder.init(cx, es, JS::ErrorReportBuilder::NoSideEffects) && builder.report()) {
    const JSErrorReport* report = builder.report();
    if (report->filename) {
      // Parser reports have 0-based columns in 102; runtime errors are 1-based.
      unsigned column = report->column + (report->exnType == JSEXN_SYNTAXERR ? 1 : 0);
      out = std::string(report->filename) + ":" + std::to_string(report->lineno) + ":" +
            std::to_string(column) + ": ";
    }
    const char* text = builder.toStringResult().c_str();
    out += text ? text : "uncaught exception";
  } else {
    JS_ClearPendingException(cx);
    out = "uncaught exception";
  }
  if (!stack && exception.isObject()) {
    JS::RootedObject error(cx, &exception.toObject());
    stack = JS::ExceptionStackOrNull(error);
  }
  if (std::string frames = StackText(cx, stack); !frames.empty()) out += "\n" + frames;
  return out;
}

std::string TakeExceptionText(JSContext* cx) {
  if (!JS_IsExceptionPending(cx)) return {};
  JS::ExceptionStack es(cx);
  if (!JS::StealPendingExceptionStack(cx, &es)) return "uncaught exception";
  JS::RootedValue exception(cx, es.exception());
  JS::RootedObject stack(cx, es.stack());
  return DescribeException(cx, exception, stack);
}

std::chrono::nanoseconds ThreadCpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

JSObject* NewReaction(JSContext* cx, JSNative native, std::uint64_t id, const char* name) {
  JSFunction* fn = js::NewFunctionWithReserved(cx, native, 1, 0, name);
  if (!fn) return nullptr;
  JSObject* obj = JS_GetFunctionObject(fn);
  js::SetFunctionNativeReserved(obj, 0, JS::NumberValue(static_cast<double>(id)));
  return obj;
}

std::uint64_t ReactionId(const JS::CallArgs& args) {
  return static_cast<std::uint64_t>(js::GetFunctionNativeReserved(&args.callee(), 0).toNumber());
}

bool AttachReactions(JSContext* cx, JS::HandleValue value, JSNative on_ok, JSNative on_error,
                     std::uint64_t id, const std::pair<const char*, const char*>& names) {
  JS::RootedObject promise(cx, JS::CallOriginalPromiseResolve(cx, value));
  if (!promise) return false;
  JS::RootedObject ok(cx, NewReaction(cx, on_ok, id, names.first));
  JS::RootedObject error(cx, NewReaction(cx, on_error, id, names.second));
  return ok && error && JS::AddPromiseReactions(cx, promise, ok, error);
}

}  // namespace blaze::engine
