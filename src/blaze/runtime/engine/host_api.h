// The `__blazeHost` object: the natives the Web API prelude (runtime/webapi/js) is written
// against. Defined in every new worker realm before the prelude runs; the prelude fills
// `__blazeHost.internal` and deletes the global. Contract (see README.md):
//   randomFill(u8)                  OpenSSL RAND_bytes into the Uint8Array (<= 65536 bytes)
//   log(level, message)             appends to the current request's logs (tail data)
//   utf8Encode(string) -> Uint8Array   lone surrogates -> U+FFFD
//   utf8Decode(u8, fatal, ignoreBOM) -> string   TypeError when fatal and invalid
//   setTimer(callback, ms, repeat) -> id ; clearTimer(id)
//   now() -> ms since the epoch (the Clock seam)
//   bindingCall(handle, op, argsJson, buffers) -> Promise<replyJson |
//         [replyJson, Uint8Array[], tables?, columns?]> (the array only when the reply has
//         buffers or tables: tables[i] an Array of row Arrays, columns[i] its column names when
//         its rows are to be objects); `buffers` may be undefined; see binding.h (rejects with
//         an Error carrying `code`)
//   bindingCallNow(handle, op, argsJson, buffers) -> the same reply (not a promise) when the
//         binding's service answers inline (its failure thrown as that Error), else the promise
//   fetch({method, url, headers, body, redirect}) -> Promise<{status, statusText, headers,
//         body: Uint8Array|null, bodyHandle?, url, redirected}>; network errors reject with
//         TypeError. A body still arriving comes as `bodyHandle` (and body null): read it with
//   readBody(handle) -> Promise<Uint8Array|null>  the next chunk of a host body (the request's
//         or a fetch response's), null at its end; TypeError for a handle of another request
//   cancelBody(handle)              stops reading it (the connection behind it is let go)
// The natives reach the core through HostServices (the Engine), found via the context private.
// No C++ exception escapes a native. Engine-internal.
#pragma once

#include <jsapi.h>

#include <optional>
#include <string>

#include "blaze/base/result.h"
#include "blaze/runtime/engine/binding.h"
#include "blaze/runtime/engine/outbound_fetch.h"

namespace blaze::engine {

class HostServices {
 public:
  virtual ~HostServices() = default;
  virtual void AppendLog(std::string level, std::string message) = 0;
  virtual double NowMs() const = 0;
  // Returns the timer id (> 0), or 0 with a pending exception.
  virtual int SetTimer(JSContext* cx, JS::HandleObject callback, double ms, bool repeat) = 0;
  virtual void ClearTimer(int id) = 0;
  // Settles `promise` later, from a macrotask, via SettleFetchPromise.
  virtual void StartFetch(JSContext* cx, OutboundRequest request, JS::HandleObject promise) = 0;
  // Runs binding `handle` of the current realm's env; settles `promise` via
  // SettleBindingPromise (before returning for an inline service, else from a later slice).
  virtual void StartBindingCall(JSContext* cx, int handle, BindingCall call,
                                JS::HandleObject promise) = 0;
  // Runs binding `handle` now when its service answers inline (BindingService::AnswersInline)
  // and returns its reply; nullopt (the call untouched) when it does not: use StartBindingCall.
  virtual std::optional<Result<BindingReply>> CallBindingInline(JSContext* cx, int handle,
                                                                BindingCall& call) = 0;
  // Reads the next chunk of host body `handle`; settles `promise` later with a Uint8Array, or
  // null at the end, or rejects it (a broken body, or a handle of another request).
  virtual void StartBodyRead(JSContext* cx, int handle, JS::HandleObject promise) = 0;
  virtual void CancelBody(int handle) = 0;
};

// Installs `services` as the context private. Once per JSContext.
void SetHostServices(JSContext* cx, HostServices* services);

// A fresh `__blazeHost` object for the current realm (not yet defined on the global).
JSObject* NewHostObject(JSContext* cx);

// Resolves with the JS response object or rejects with a TypeError.
// A streamed body is passed as `body_handle` (> 0; body null), registered by the caller.
bool SettleFetchPromise(JSContext* cx, JS::HandleObject promise,
                        const Result<OutboundResponse>& result, int body_handle = 0);

// Resolves with the reply's JSON text, or [json, [Uint8Array, ...], tables, columns] when it
// has buffers or tables (BindingRows, built here as Arrays of row Arrays), or rejects with an
// Error whose `code` is the ErrorCode name.
// The bindingCall native (binding_natives.cc).
bool BindingCallNative(JSContext* cx, JS::CallArgs& args);
// The bindingCallNow native (binding_natives.cc).
bool BindingCallNowNative(JSContext* cx, JS::CallArgs& args);
// The readBody / cancelBody natives (response_stream.cc).
bool ReadBodyNative(JSContext* cx, JS::CallArgs& args);
bool CancelBodyNative(JSContext* cx, JS::CallArgs& args);
bool SettleBindingPromise(JSContext* cx, JS::HandleObject promise,
                          const Result<BindingReply>& result);

// Bytes of a Uint8Array / ArrayBuffer / ArrayBufferView, copied. False if `v` is none of them.
bool CopyBufferSource(JS::HandleValue v, std::string* out);
// A new Uint8Array holding `bytes`.
JSObject* NewUint8Array(JSContext* cx, std::string_view bytes);
// [[name, value], ...] <-> HeaderList.
JSObject* NewHeaderArray(JSContext* cx, const HeaderList& headers);
bool ReadHeaderArray(JSContext* cx, JS::HandleValue v, HeaderList* out);

}  // namespace blaze::engine
