// The values that cross the Engine API: what a worker is configured with, the request it gets
// and the Invocation record it produces. Plain data, no JS types, safe to move between cores
// (except body streams, which belong to the core that made them).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "blaze/base/byte_stream.h"
#include "blaze/base/clock.h"
#include "blaze/runtime/engine/binding.h"

namespace blaze::engine {

using HeaderList = std::vector<std::pair<std::string, std::string>>;  // ordered, repeatable

// A binding in `env`: text vars arrive as JS strings, JSON vars are parsed into JS values.
struct WorkerVar {
  enum class Kind { kText, kJson };
  std::string name;
  Kind kind = Kind::kText;
  std::string value;  // the text, or the JSON document

  bool operator==(const WorkerVar&) const = default;
};

struct WorkerConfig {
  std::string name;
  std::string compatibility_date;  // "2025-01-01"; pins behaviour (read by the prelude later)
  std::vector<WorkerVar> vars;          // [vars] and secrets
  std::vector<WorkerBinding> bindings;  // D1, KV, R2, services, analytics
  int cpu_ms = 50;        // per request, all slices of the request together
  int memory_mb = 128;    // per worker realm (soft limit, checked after GCs)
};

struct WorkerRequest {
  std::string method = "GET";
  std::string url;  // absolute: "https://example.com/path?q"
  HeaderList headers;
  // The body: whole bytes in `body`, or (large and chunked uploads) `body_stream`, read by the
  // worker as `request.body` while it arrives. At most one of them is set.
  std::string body;
  std::shared_ptr<ByteSource> body_stream;
  std::string trace_id;
};

struct WorkerResponse {
  int status = 0;
  std::string status_text;
  HeaderList headers;
  // Byte bodies arrive whole in `body`. A stream body (a ReadableStream the worker produces,
  // the request's or a fetch's body passed through) is `body_stream` instead: pull it on the
  // Engine's thread; each pull runs the worker in a slice (its CPU/memory limits apply), a
  // worker error fails the Read, and cancelling it (or dropping it) cancels the JS stream.
  std::string body;
  std::shared_ptr<ByteSource> body_stream;
};

struct LogEntry {
  std::string level;    // "log", "info", "warn", "error", "debug"
  std::string message;  // formatted by the prelude's console
  Clock::WallTime timestamp;
};

enum class Outcome { kOk, kException, kExceededCpu, kExceededMemory, kCanceled };
std::string_view OutcomeName(Outcome outcome);  // "ok", "exception", "exceededCpu", ...

struct Invocation {
  Outcome outcome = Outcome::kOk;
  WorkerResponse response;     // meaningful when outcome == kOk
  std::vector<LogEntry> logs;  // console output of this phase
  std::string exception;       // "file:line:col: Error: msg\nframe@file:line:col\n..."
  std::chrono::microseconds cpu_time{0};
  std::chrono::microseconds wall_time{0};
};

// `done` gets the response phase; `finished` (optional) runs once every ctx.waitUntil() promise
// has settled, with the logs and CPU of that tail phase (outcome kOk unless it was cut off).
// Both are posted to the Engine's io_context, never called re-entrantly from inside Invoke.
using InvocationCallback = std::function<void(Invocation)>;

}  // namespace blaze::engine
