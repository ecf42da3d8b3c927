#include "blaze/runtime/engine/host_api.h"

#include <js/Conversions.h>
#include <js/Array.h>
#include <js/ArrayBuffer.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>
#include <js/experimental/TypedData.h>
#include <openssl/rand.h>

#include <cmath>
#include <cstring>
#include <exception>
#include <new>

#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/subtle_crypto_natives.h"
#include "blaze/runtime/engine/zlib_natives.h"
#include "blaze/runtime/engine/utf8.h"

namespace blaze::engine {
namespace {

HostServices* Services(JSContext* cx) { return static_cast<HostServices*>(JS_GetContextPrivate(cx)); }


bool RandomFill(JSContext* cx, JS::CallArgs& args) {
  size_t length = 0;
  bool shared = false;
  uint8_t* data = nullptr;
  if (!args.get(0).isObject() ||
      !JS_GetObjectAsUint8Array(&args[0].toObject(), &length, &shared, &data))
    return ThrowError(cx, JSEXN_TYPEERR, "randomFill: expected a Uint8Array");
  if (length > 65536) return ThrowError(cx, JSEXN_RANGEERR, "randomFill: more than 65536 bytes");
  if (length > 0 && RAND_bytes(data, static_cast<int>(length)) != 1)
    return ThrowError(cx, JSEXN_ERR, "randomFill: RAND_bytes failed");
  args.rval().set(args[0]);
  return true;
}

bool Log(JSContext* cx, JS::CallArgs& args) {
  std::string level = ValueToUtf8(cx, args.get(0));
  std::string message = ValueToUtf8(cx, args.get(1));
  Services(cx)->AppendLog(std::move(level), std::move(message));
  args.rval().setUndefined();
  return true;
}

bool Utf8Encode(JSContext* cx, JS::CallArgs& args) {
  JS::RootedString str(cx, JS::ToString(cx, args.get(0)));
  if (!str) return false;
  auto bytes = StringToUtf8(cx, str);
  if (!bytes) return false;
  JSObject* array = NewUint8Array(cx, *bytes);
  if (!array) return false;
  args.rval().setObject(*array);
  return true;
}

bool Utf8Decode(JSContext* cx, JS::CallArgs& args) {
  std::string bytes;
  if (!args.get(0).isNullOrUndefined() && !CopyBufferSource(args.get(0), &bytes))
    return ThrowError(cx, JSEXN_TYPEERR, "utf8Decode: expected a BufferSource");
  auto errors = JS::ToBoolean(args.get(1)) ? Utf8Errors::kFatal : Utf8Errors::kReplace;
  auto bom = JS::ToBoolean(args.get(2)) ? Utf8Bom::kKeep : Utf8Bom::kStrip;
  auto text = DecodeUtf8(bytes, errors, bom);
  if (!text) return ThrowError(cx, JSEXN_TYPEERR, "The encoded data was not valid for encoding utf-8");
  JSString* str = JS_NewUCStringCopyN(cx, text->data(), text->size());
  if (!str) return false;
  args.rval().setString(str);
  return true;
}

bool SetTimer(JSContext* cx, JS::CallArgs& args) {
  if (!args.get(0).isObject() || !JS::IsCallable(&args[0].toObject()))
    return ThrowError(cx, JSEXN_TYPEERR, "setTimer: callback is not a function");
  double ms = 0;
  if (!JS::ToNumber(cx, args.get(1), &ms)) return false;
  if (!std::isfinite(ms) || ms < 0) ms = 0;
  JS::RootedObject callback(cx, &args[0].toObject());
  int id = Services(cx)->SetTimer(cx, callback, ms, JS::ToBoolean(args.get(2)));
  if (id == 0) return false;
  args.rval().setInt32(id);
  return true;
}

bool ClearTimer(JSContext* cx, JS::CallArgs& args) {
  int32_t id = 0;
  if (!JS::ToInt32(cx, args.get(0), &id)) return false;
  Services(cx)->ClearTimer(id);
  args.rval().setUndefined();
  return true;
}

bool Now(JSContext* cx, JS::CallArgs& args) {
  args.rval().setDouble(Services(cx)->NowMs());
  return true;
}

bool GetStringProperty(JSContext* cx, JS::HandleObject obj, const char* name, std::string* out) {
  JS::RootedValue v(cx);
  if (!JS_GetProperty(cx, obj, name, &v)) return false;
  if (v.isNullOrUndefined()) return true;
  JS::RootedString str(cx, JS::ToString(cx, v));
  if (!str) return false;
  auto utf8 = StringToUtf8(cx, str);
  if (!utf8) return false;
  *out = std::move(*utf8);
  return true;
}

bool Fetch(JSContext* cx, JS::CallArgs& args) {
  if (!args.get(0).isObject()) return ThrowError(cx, JSEXN_TYPEERR, "fetch: expected an object");
  JS::RootedObject init(cx, &args[0].toObject());
  OutboundRequest request;
  std::string redirect = "follow";
  JS::RootedValue headers(cx), body(cx);
  if (!GetStringProperty(cx, init, "method", &request.method) ||
      !GetStringProperty(cx, init, "url", &request.url) ||
      !GetStringProperty(cx, init, "redirect", &redirect) ||
      !JS_GetProperty(cx, init, "headers", &headers) || !JS_GetProperty(cx, init, "body", &body))
    return false;
  if (!headers.isNullOrUndefined() && !ReadHeaderArray(cx, headers, &request.headers))
    return false;
  if (!body.isNullOrUndefined() && !CopyBufferSource(body, &request.body))
    return ThrowError(cx, JSEXN_TYPEERR, "fetch: body must be a Uint8Array or null");
  if (redirect == "manual") request.redirect = RedirectMode::kManual;
  else if (redirect == "error") request.redirect = RedirectMode::kError;
  JS::RootedObject promise(cx, JS::NewPromiseObject(cx, nullptr));
  if (!promise) return false;
  Services(cx)->StartFetch(cx, std::move(request), promise);
  args.rval().setObject(*promise);
  return true;
}

bool BindingCall(JSContext* cx, JS::CallArgs& args) { return BindingCallNative(cx, args); }
bool BindingCallNow(JSContext* cx, JS::CallArgs& args) { return BindingCallNowNative(cx, args); }

bool DefineString(JSContext* cx, JS::HandleObject obj, const char* name, std::string_view value) {
  JS::RootedString str(cx, NewStringUtf8(cx, value));
  return str && JS_DefineProperty(cx, obj, name, str, JSPROP_ENUMERATE);
}

const JSFunctionSpec kHostFunctions[] = {
    JS_FN("randomFill", Native<RandomFill>, 1, 0),
    JS_FN("log", Native<Log>, 2, 0),
    JS_FN("utf8Encode", Native<Utf8Encode>, 1, 0),
    JS_FN("utf8Decode", Native<Utf8Decode>, 3, 0),
    JS_FN("setTimer", Native<SetTimer>, 3, 0),
    JS_FN("clearTimer", Native<ClearTimer>, 1, 0),
    JS_FN("now", Native<Now>, 0, 0),
    JS_FN("fetch", Native<Fetch>, 1, 0),
    JS_FN("bindingCall", Native<BindingCall>, 4, 0),
    JS_FN("bindingCallNow", Native<BindingCallNow>, 4, 0),
    JS_FN("readBody", Native<ReadBodyNative>, 1, 0),
    JS_FN("cancelBody", Native<CancelBodyNative>, 1, 0),
    JS_FS_END,
};

}  // namespace

void SetHostServices(JSContext* cx, HostServices* services) { JS_SetContextPrivate(cx, services); }

JSObject* NewHostObject(JSContext* cx) {
  JS::RootedObject host(cx, JS_NewPlainObject(cx));
  if (!host || !JS_DefineFunctions(cx, host, kHostFunctions)) return nullptr;
  JS::RootedObject internal(cx, JS_NewPlainObject(cx));
  if (!internal || !JS_DefineProperty(cx, host, "internal", internal, JSPROP_ENUMERATE))
    return nullptr;
  JS::RootedObject subtle(cx, NewSubtleHostObject(cx));
  if (!subtle || !JS_DefineProperty(cx, host, "subtle", subtle, JSPROP_ENUMERATE)) return nullptr;
  JS::RootedObject zlib(cx, NewZlibHostObject(cx));
  if (!zlib || !JS_DefineProperty(cx, host, "zlib", zlib, JSPROP_ENUMERATE)) return nullptr;
  return host;
}

bool CopyBufferSource(JS::HandleValue v, std::string* out) {
  if (!v.isObject()) return false;
  JSObject* obj = &v.toObject();
  size_t length = 0;
  bool shared = false;
  uint8_t* data = nullptr;
  if (JS_GetObjectAsArrayBufferView(obj, &length, &shared, &data) ||
      JS::GetObjectAsArrayBuffer(obj, &length, &data)) {
    out->assign(reinterpret_cast<const char*>(data), length);  // copied before any GC
    return true;
  }
  return false;
}

JSObject* NewUint8Array(JSContext* cx, std::string_view bytes) {
  JS::RootedObject array(cx, JS_NewUint8Array(cx, bytes.size()));
  if (!array) return nullptr;
  size_t length = 0;
  bool shared = false;
  uint8_t* data = nullptr;
  if (bytes.size() > 0 && JS_GetObjectAsUint8Array(array, &length, &shared, &data))
    std::memcpy(data, bytes.data(), bytes.size());  // a byte loop at -O2 otherwise
  return array;
}

JSObject* NewHeaderArray(JSContext* cx, const HeaderList& headers) {
  JS::RootedObject list(cx, JS::NewArrayObject(cx, headers.size()));
  if (!list) return nullptr;
  JS::RootedValueArray<2> pair(cx);
  JS::RootedObject entry(cx);
  for (size_t i = 0; i < headers.size(); i++) {
    JSString* name = NewStringUtf8(cx, headers[i].first);
    if (!name) return nullptr;
    pair[0].setString(name);
    JSString* value = NewStringUtf8(cx, headers[i].second);
    if (!value) return nullptr;
    pair[1].setString(value);
    entry = JS::NewArrayObject(cx, pair);
    if (!entry || !JS_SetElement(cx, list, i, entry)) return nullptr;
  }
  return list;
}

bool ReadHeaderArray(JSContext* cx, JS::HandleValue v, HeaderList* out) {
  bool is_array = false;
  if (!JS::IsArrayObject(cx, v, &is_array)) return false;
  if (!is_array) return ThrowError(cx, JSEXN_TYPEERR, "headers must be an array of [name, value]");
  JS::RootedObject list(cx, &v.toObject());
  uint32_t length = 0;
  if (!JS::GetArrayLength(cx, list, &length)) return false;
  JS::RootedValue entry(cx), name(cx), value(cx);
  for (uint32_t i = 0; i < length; i++) {
    if (!JS_GetElement(cx, list, i, &entry)) return false;
    if (!entry.isObject()) return ThrowError(cx, JSEXN_TYPEERR, "header entry must be [name, value]");
    JS::RootedObject pair(cx, &entry.toObject());
    if (!JS_GetElement(cx, pair, 0, &name) || !JS_GetElement(cx, pair, 1, &value)) return false;
    out->emplace_back(ValueToUtf8(cx, name), ValueToUtf8(cx, value));
  }
  return true;
}

bool SettleFetchPromise(JSContext* cx, JS::HandleObject promise,
                        const Result<OutboundResponse>& result, int body_handle) {
  if (!result) {
    JS::RootedValue error(cx);
    if (!MakeError(cx, JSEXN_TYPEERR, "fetch failed: " + result.error().message(), &error))
      return false;
    return JS::RejectPromise(cx, promise, error);
  }
  const OutboundResponse& r = *result;
  JS::RootedObject obj(cx, JS_NewPlainObject(cx));
  if (!obj) return false;
  JS::RootedObject headers(cx, NewHeaderArray(cx, r.headers));
  JS::RootedValue body(cx, JS::NullValue());
  if (body_handle > 0) {
    if (!JS_DefineProperty(cx, obj, "bodyHandle", body_handle, JSPROP_ENUMERATE)) return false;
  } else if (JSObject* bytes = NewUint8Array(cx, r.body)) {
    body.setObject(*bytes);
  } else {
    return false;
  }
  JS::RootedValue redirected(cx, JS::BooleanValue(r.redirected));
  if (!headers || !JS_DefineProperty(cx, obj, "status", r.status, JSPROP_ENUMERATE) ||
      !DefineString(cx, obj, "statusText", r.status_text) ||
      !JS_DefineProperty(cx, obj, "headers", headers, JSPROP_ENUMERATE) ||
      !JS_DefineProperty(cx, obj, "body", body, JSPROP_ENUMERATE) ||
      !DefineString(cx, obj, "url", r.url) ||
      !JS_DefineProperty(cx, obj, "redirected", redirected, JSPROP_ENUMERATE))
    return false;
  JS::RootedValue value(cx, JS::ObjectValue(*obj));
  return JS::ResolvePromise(cx, promise, value);
}

}  // namespace blaze::engine
