// host.bindingCall and the settling of its promise (the JS half of binding.h's contract).
#include <js/Array.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>

#include <cmath>

#include "blaze/runtime/engine/host_api.h"
#include "blaze/runtime/engine/js_util.h"

namespace blaze::engine {

// bindingCall(handle, op, argsJson, buffers)
bool BindingCallNative(JSContext* cx, JS::CallArgs& args) {
  double handle = -1;
  if (!args.get(0).isNumber() || !std::isfinite(handle = args[0].toNumber()) || handle < 0)
    return ThrowError(cx, JSEXN_TYPEERR, "bindingCall: bad binding handle");
  BindingCall call;
  call.op = ValueToUtf8(cx, args.get(1));
  call.args = ValueToUtf8(cx, args.get(2));
  if (args.get(3).isObject()) {
    JS::RootedObject list(cx, &args[3].toObject());
    bool is_array = false;
    uint32_t length = 0;
    if (!JS::IsArrayObject(cx, list, &is_array) || !is_array || !JS::GetArrayLength(cx, list, &length))
      return ThrowError(cx, JSEXN_TYPEERR, "bindingCall: buffers must be an array");
    JS::RootedValue item(cx);
    for (uint32_t i = 0; i < length; ++i) {
      if (!JS_GetElement(cx, list, i, &item)) return false;
      std::string bytes;
      if (!CopyBufferSource(item, &bytes))
        return ThrowError(cx, JSEXN_TYPEERR, "bindingCall: buffers must hold Uint8Arrays");
      call.buffers.push_back(std::move(bytes));
    }
  }
  JS::RootedObject promise(cx, JS::NewPromiseObject(cx, nullptr));
  if (!promise) return false;
  HostServices* services = static_cast<HostServices*>(JS_GetContextPrivate(cx));
  services->StartBindingCall(cx, static_cast<int>(handle), std::move(call), promise);
  args.rval().setObject(*promise);
  return true;
}

bool SettleBindingPromise(JSContext* cx, JS::HandleObject promise,
                          const Result<BindingReply>& result) {
  if (!result) {
    const Error& e = result.error();
    JS::RootedValue error(cx);
    JS::RootedString code(cx, NewStringUtf8(cx, InfoFor(e.code()).name));
    if (!code || !MakeError(cx, JSEXN_ERR, e.message(), &error)) return false;
    JS::RootedObject obj(cx, &error.toObject());
    if (!JS_DefineProperty(cx, obj, "code", code, JSPROP_ENUMERATE)) return false;
    return JS::RejectPromise(cx, promise, error);
  }
  JS::RootedString json(cx, NewStringUtf8(cx, result->json));
  JS::RootedObject buffers(cx, JS::NewArrayObject(cx, result->buffers.size()));
  if (!json || !buffers) return false;
  for (std::size_t i = 0; i < result->buffers.size(); ++i) {
    JS::RootedObject bytes(cx, NewUint8Array(cx, result->buffers[i]));
    if (!bytes || !JS_DefineElement(cx, buffers, static_cast<uint32_t>(i), bytes, JSPROP_ENUMERATE))
      return false;
  }
  JS::RootedObject pair(cx, JS::NewArrayObject(cx, 2));
  if (!pair || !JS_DefineElement(cx, pair, 0, json, JSPROP_ENUMERATE) ||
      !JS_DefineElement(cx, pair, 1, buffers, JSPROP_ENUMERATE))
    return false;
  JS::RootedValue value(cx, JS::ObjectValue(*pair));
  return JS::ResolvePromise(cx, promise, value);
}

}  // namespace blaze::engine
