// Bindings: how a worker's `env.X` reaches a host service (D1, KV, R2, services, analytics).
//
// The JS side (runtime/webapi/js/<kind>.js) builds the Cloudflare-shaped object for a binding
// and calls `host.bindingCall(handle, op, argsJson, buffers)`; the Engine runs the binding's
// BindingService::Call *between* slices (the work is not charged to the worker's CPU budget)
// and settles the returned promise in a new slice. Wire format, both directions: a JSON
// document plus binary buffers it refers to as {"$buffer": i} (see js/bindings.js); a reply may
// also carry tables (BindingRows) it refers to as {"$rows": i}.
//
// Threads: one BindingService instance is shared by every core that runs the worker, so Call
// must be thread-safe; it is always called on a core thread and `done` must be invoked exactly
// once, on that same thread (inline is fine; the Engine defers settling itself).
// Inline services (AnswersInline(): the storage bindings, whose work is synchronous local I/O)
// are called from inside the calling slice instead: the CPU watchdog is paused and the call's
// CPU time is not charged to the worker, and the reply is there before the native returns
// (`host.bindingCallNow` returns it as is, `host.bindingCall` as a settled promise) — no trip
// through the io_context and no second slice for a request that makes one call.
// Errors: a failed Result rejects the promise with an Error whose message is the error's message
// and whose `code` is the ErrorCode name ("InvalidArgument", ...); the JS class of the binding
// turns that into the exception Cloudflare throws.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::engine {

class Engine;

struct BindingCall {
  std::string op;                    // meaning per binding kind: "get", "put", "query", ...
  std::string args = "{}";           // a JSON document
  std::vector<std::string> buffers;  // binary payloads `args` refers to as {"$buffer": i}
};

// A table the engine turns into JavaScript values itself, with no JSON text in between (for
// query results: parsing ten rows of JSON back into objects cost more than the query; the
// engine makes Arrays of the row values, js/bindings.js the objects). It becomes an Array with
// one entry per row: a plain object {column: value, ...} (properties in
// column order; a repeated name keeps its first position and its last value) when `objects`,
// else an Array of the row's values. Cells: null; an integer (a Number, exact up to 2^53); a
// double (non-finite ones become null, as in JSON); UTF-8 text (invalid bytes become U+FFFD);
// bytes (an Array of numbers, the way D1 returns BLOBs).
struct BindingRows {
  struct Null {
    bool operator==(const Null&) const = default;
  };
  using Cell = std::variant<Null, std::int64_t, double, std::string, std::vector<std::uint8_t>>;
  std::vector<std::string> columns;
  std::vector<Cell> cells;  // row-major, columns.size() cells per row
  bool objects = true;

  std::size_t row_count() const { return columns.empty() ? 0 : cells.size() / columns.size(); }
};

struct BindingReply {
  std::string json = "null";         // a JSON document
  std::vector<std::string> buffers;  // binary payloads `json` refers to as {"$buffer": i}
  std::vector<BindingRows> rows;     // tables `json` refers to as {"$rows": i}
};

// Where the call comes from: the core it runs on, for services that need the Engine itself.
struct BindingContext {
  boost::asio::io_context& io;
  Engine* engine;  // the calling core's Engine (null in unit tests of a service)
  std::string trace_id;  // of the request making the call
};

using BindingDone = std::function<void(Result<BindingReply>)>;

class BindingService {
 public:
  virtual ~BindingService() = default;
  virtual void Call(BindingCall call, const BindingContext& context, BindingDone done) = 0;
  // True when Call always invokes `done` before it returns and never runs JavaScript (see
  // "Inline services" above). The default: Call runs between slices.
  virtual bool AnswersInline() const { return false; }
};

// A binding on `env`: `kind` picks the JS class the prelude builds ("d1", "kv", "r2",
// "service", "analytics"); `service` does the work. A binding with an empty `name` is a
// platform service the prelude uses itself (kind "cache": the Cache API behind `caches`): its
// factory runs, nothing appears on `env`.
struct WorkerBinding {
  std::string name;
  std::string kind;
  std::shared_ptr<BindingService> service;

  bool operator==(const WorkerBinding&) const = default;
};

}  // namespace blaze::engine
