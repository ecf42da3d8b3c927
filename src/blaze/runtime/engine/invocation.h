// The values that cross the Engine API: what a worker is configured with, the request it gets
// and the Invocation record it produces. Plain data, no JS types, safe to move between cores.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

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
  // The whole body. Seam: a streaming body source replaces this string when http/ streams.
  std::string body;
  std::string trace_id;
};

struct WorkerResponse {
  int status = 0;
  std::string status_text;
  HeaderList headers;
  std::string body;
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
