// Streamed bodies across the engine boundary (body_streams.h has the bookkeeping):
//
//   in:  a request body or a fetch() response body still arriving is a host source; the
//        prelude wraps its handle in a ReadableStream whose pull calls readBody(handle), and
//        each chunk settles that promise in a slice of its own.
//   out: a Response whose body is a worker-made stream is answered at once with a BytePipe.
//        Every Read of the pipe (the HTTP session asking for the next chunk) becomes one call of
//        the prelude's reader.next() in a slice, so CPU and memory limits and realm kills apply;
//        the chunk it resolves with is pushed into the pipe. A rejection fails the pipe (the
//        session aborts the connection), the end finishes it, a cancelled pipe (the client went
//        away) runs reader.cancel() and ends the invocation as canceled.
//   through: a Response whose body is an untouched host source (`new Response(request.body)`,
//        `return fetch(url)`) hands that source itself to the HTTP side: no JS per chunk.
#include <js/ArrayBuffer.h>
#include <js/Conversions.h>
#include <js/MemoryFunctions.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>
#include <js/experimental/TypedData.h>
#include <jsfriendapi.h>

#include <boost/asio/post.hpp>
#include <cstring>
#include <optional>

#include "blaze/runtime/engine/engine.h"
#include "blaze/runtime/engine/engine_state.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/worker_realm.h"

namespace blaze::engine {
namespace {

// What one readBody() asks a host source for.
constexpr std::size_t kBodyReadMax = 64 * 1024;

Engine* EngineOf(JSContext* cx) {
  return static_cast<Engine*>(static_cast<HostServices*>(JS_GetContextPrivate(cx)));
}

HostServices* Services(JSContext* cx) {
  return static_cast<HostServices*>(JS_GetContextPrivate(cx));
}

bool Reject(JSContext* cx, JS::HandleObject promise, std::string_view message) {
  JS::RootedValue error(cx);
  return MakeError(cx, JSEXN_TYPEERR, message, &error) && JS::RejectPromise(cx, promise, error);
}

// A Uint8Array over a copy of `bytes`, without the zero-filling JS_NewUint8Array does first (a
// body chunk is up to 64 KiB, and every one of them goes through here).
JSObject* NewBodyChunk(JSContext* cx, std::string_view bytes) {
  void* data = JS_malloc(cx, bytes.size());
  if (!data) return nullptr;
  std::memcpy(data, bytes.data(), bytes.size());
  JS::RootedObject buffer(cx, JS::NewArrayBufferWithContents(cx, bytes.size(), data));
  if (!buffer) {
    JS_free(cx, data);
    return nullptr;
  }
  return JS_NewUint8ArrayWithBuffer(cx, buffer, 0, static_cast<int64_t>(bytes.size()));
}

// Resolves a readBody() promise with the chunk (null at the end) or rejects it.
bool SettleBodyRead(JSContext* cx, JS::HandleObject promise, const Result<ByteChunk>& chunk) {
  if (!chunk) return Reject(cx, promise, chunk.error().message());
  JS::RootedValue value(cx, JS::NullValue());
  if (!chunk->bytes.empty()) {
    JSObject* bytes = NewBodyChunk(cx, chunk->bytes);
    if (!bytes) return false;
    value.setObject(*bytes);
  }
  return JS::ResolvePromise(cx, promise, value);
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

bool ReadBodyNative(JSContext* cx, JS::CallArgs& args) {
  int32_t handle = 0;
  if (!JS::ToInt32(cx, args.get(0), &handle)) return false;
  JS::RootedObject promise(cx, JS::NewPromiseObject(cx, nullptr));
  if (!promise) return false;
  Services(cx)->StartBodyRead(cx, handle, promise);
  args.rval().setObject(*promise);
  return true;
}

bool CancelBodyNative(JSContext* cx, JS::CallArgs& args) {
  int32_t handle = 0;
  if (!JS::ToInt32(cx, args.get(0), &handle)) return false;
  Services(cx)->CancelBody(handle);
  args.rval().setUndefined();
  return true;
}

// ---- host sources (request bodies, fetch response bodies) ---------------------------------

int Engine::AddBodySource(InvocationState& inv, std::shared_ptr<ByteSource> source) {
  int handle = next_timer_id_++;  // the id space timers and fetches share: unique per Engine
  inv.bodies.AddSource(handle, std::move(source));
  return handle;
}

// init.bodyHandle (and init.bodyLength when known) for the prelude's newRequest.
bool Engine::AttachRequestBody(JSContext* cx, InvocationState& inv, JS::HandleObject init,
                               std::shared_ptr<ByteSource> body) {
  std::optional<std::uint64_t> length = body->length();
  int handle = AddBodySource(inv, std::move(body));
  if (!JS_DefineProperty(cx, init, "bodyHandle", handle, JSPROP_ENUMERATE)) return false;
  if (!length) return true;
  JS::RootedValue n(cx, JS::NumberValue(static_cast<double>(*length)));
  return JS_DefineProperty(cx, init, "bodyLength", n, JSPROP_ENUMERATE);
}

void Engine::StartBodyRead(JSContext* cx, int handle, JS::HandleObject promise) {
  InvocationState* inv = current_inv_ && !current_inv_->complete ? current_inv_ : nullptr;
  InvocationBodies::HostSource* entry = inv ? inv->bodies.FindSource(handle) : nullptr;
  if (!entry || entry->reading) {
    bool foreign = false;
    for (auto& [id, other] : invocations_)
      foreign |= other.get() != inv && other->bodies.FindSource(handle) != nullptr;
    Reject(cx, promise,
           entry     ? "a read of this body is already in progress"
           : foreign ? "Cannot perform I/O on behalf of a different request."
                     : "This body can no longer be read: its request has ended.");
    return;
  }
  int id = AddPending(promise, inv);
  entry->reading = true;
  std::uint64_t inv_id = inv->id;
  entry->source->Read(kBodyReadMax, [this, id, inv_id, handle](Result<ByteChunk> chunk) {
    if (InvocationState* owner = FindInvocation(inv_id)) {
      bool drained = !chunk || (chunk->end && chunk->bytes.empty());
      if (drained) {
        owner->bodies.TakeSource(handle);  // nothing more to read: let the connection go
      } else if (auto* e = owner->bodies.FindSource(handle)) {
        e->reading = false;
      }
    }
    SettlePending(id, [&](JS::HandleObject p) { return SettleBodyRead(cx_, p, chunk); });
  });
}

void Engine::CancelBody(int handle) {
  if (current_inv_) current_inv_->bodies.CancelSource(handle);
}

// A fetch() result: a body still arriving becomes a host source of the fetching request.
bool Engine::SettleFetch(JS::HandleObject promise, Result<OutboundResponse>& result) {
  int handle = 0;
  if (result && result->body_stream) {
    if (current_inv_ && !current_inv_->complete) {
      handle = AddBodySource(*current_inv_, std::move(result->body_stream));
    } else {
      result->body_stream->Cancel();
    }
  }
  return SettleFetchPromise(cx_, promise, result, handle);
}

// ---- the response body --------------------------------------------------------------------

bool Engine::ResponseBodyOpen(const InvocationState& inv) { return inv.bodies.response_open(); }

bool Engine::ResponseBodyStalled(const InvocationState& inv) {
  return inv.bodies.response_open() && inv.bodies.next_pending();
}

// `converted` came from readResponseStreaming: {reader} streams from JS, {bodyHandle} passes a
// host source through untouched. Anything else leaves *streamed false (a byte body).
bool Engine::TakeStreamedBody(JSContext* cx, InvocationState& inv, JS::HandleObject converted,
                              bool* streamed) {
  *streamed = false;
  JS::RootedValue reader(cx), handle(cx);
  if (!JS_GetProperty(cx, converted, "reader", &reader) ||
      !JS_GetProperty(cx, converted, "bodyHandle", &handle))
    return false;
  if (handle.isNumber()) {
    auto source = inv.bodies.TakeSource(static_cast<int>(handle.toNumber()));
    if (!source) return ThrowError(cx, JSEXN_TYPEERR, "the response body can no longer be read");
    inv.record.response.body_stream = std::move(source);
    *streamed = true;
    return true;
  }
  if (!reader.isObject()) return true;
  boost::asio::io_context* io = &io_;
  auto pipe = std::make_shared<BytePipe>(
      [io](std::function<void()> task) { boost::asio::post(*io, std::move(task)); });
  std::uint64_t id = inv.id;
  // Cleared when the invocation ends (InvocationBodies::EndResponse), so they never outlive us.
  pipe->set_hooks({
      .on_demand = [this, io, id] { boost::asio::post(*io, [this, id] { PullResponseBody(id); }); },
      .on_cancel = [this, io,
                    id] { boost::asio::post(*io, [this, id] { CancelResponseBody(id); }); },
  });
  JS::RootedObject reader_obj(cx, &reader.toObject());
  inv.bodies.StartResponse(cx, reader_obj, pipe);
  inv.record.response.body_stream = std::move(pipe);
  *streamed = true;
  return true;
}

// The HTTP side wants the next chunk: one reader.next() in a slice.
void Engine::PullResponseBody(std::uint64_t invocation_id) {
  InvocationState* inv = FindInvocation(invocation_id);
  if (!inv || inv->complete || !inv->bodies.response_open() || inv->bodies.next_pending()) return;
  WorkerRealm* realm = RealmById(inv->realm_id);
  if (!realm) return;
  RunSlice(*realm, inv, [&] {
    JS::RootedObject reader(cx_, inv->bodies.reader());
    JS::RootedValue next(cx_);
    bool called = JS_CallFunctionName(cx_, reader, "next", JS::HandleValueArray::empty(), &next);
    if (called) {
      inv->bodies.set_next_pending(true);
      called = AttachReactions(cx_, next, OnBodyChunk, OnBodyError, invocation_id,
                                {"onChunk", "onChunkError"});
    }
    if (called) return true;
    if (!JS_IsExceptionPending(cx_) || JS_IsThrowingOutOfMemory(cx_)) return false;  // killed
    FailResponseBody(*inv, TakeExceptionText(cx_));
    return true;
  });
  AfterSlice(invocation_id);
}

bool Engine::OnBodyChunk(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  InvocationState* inv = self->ReactionTarget(args);
  if (!inv || !inv->bodies.response_open()) return true;
  inv->bodies.set_next_pending(false);
  if (args.get(0).isNullOrUndefined()) {  // the end
    inv->bodies.EndResponse(std::nullopt);
    self->MaybeFinish(*inv);
    return true;
  }
  std::string bytes;
  if (!CopyBufferSource(args.get(0), &bytes)) {
    self->FailResponseBody(*inv, "TypeError: This ReadableStream did not return bytes.");
    return true;
  }
  std::shared_ptr<BytePipe> pipe = inv->bodies.pipe();
  if (!pipe) return true;  // the consumer let go; its cancel is on its way
  if (bytes.empty()) {     // nothing to answer the Read with: ask again
    boost::asio::post(self->io_, [self, id = inv->id] { self->PullResponseBody(id); });
    return true;
  }
  pipe->Push(std::move(bytes));
  return true;
}

bool Engine::OnBodyError(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  InvocationState* inv = self->ReactionTarget(args);
  if (!inv || !inv->bodies.response_open()) return true;
  JS::RootedValue reason(cx, args.get(0));
  JS::RootedObject stack(cx);
  if (reason.isObject()) {
    JS::RootedObject error(cx, &reason.toObject());
    stack = JS::ExceptionStackOrNull(error);
  }
  self->FailResponseBody(*inv, DescribeException(cx, reason, stack));
  return true;
}

// The worker's body failed after the head was sent: the client must see a broken response (the
// session aborts the connection), and the invocation ends with the exception.
void Engine::FailResponseBody(InvocationState& inv, std::string exception) {
  inv.record.logs.push_back({"error", "Uncaught (in response body) " + exception, clock_->Now()});
  inv.bodies.EndResponse(Aborted("the worker's response body failed: " + FirstLine(exception)));
  Complete(inv, Outcome::kException, std::move(exception));
}

// The consumer cancelled (the client went away): cancel the worker's stream; the invocation
// ends as canceled once its waitUntil() work is done.
void Engine::CancelResponseBody(std::uint64_t invocation_id) {
  InvocationState* inv = FindInvocation(invocation_id);
  if (!inv || inv->complete || !inv->bodies.response_open()) return;
  JS::RootedObject reader(cx_, inv->bodies.reader());
  inv->bodies.EndResponse(std::nullopt);
  inv->record.outcome = Outcome::kCanceled;
  inv->record.exception = "the client disconnected before the response body was complete";
  WorkerRealm* realm = RealmById(inv->realm_id);
  bool alive = realm && RunSlice(*realm, inv, [&] {
                 JS::RootedValueArray<1> args(cx_);
                 JS::RootedValue reason(cx_), ignored(cx_);
                 if (!MakeError(cx_, JSEXN_TYPEERR, "The client disconnected.", &reason))
                   return false;
                 args[0].set(reason);
                 if (JS_CallFunctionName(cx_, reader, "cancel", args, &ignored)) return true;
                 if (!JS_IsExceptionPending(cx_) || JS_IsThrowingOutOfMemory(cx_)) return false;
                 AppendLog("error", "Uncaught " + TakeExceptionText(cx_));  // a throwing cancel()
                 return true;
               });
  if (InvocationState* still = alive ? FindInvocation(invocation_id) : nullptr) MaybeFinish(*still);
  AfterSlice(invocation_id);
}

}  // namespace blaze::engine
