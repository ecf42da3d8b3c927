// Runtime: what the admin API asks of the serving side (node/'s ServePlatform implements it; the
// API's tests use a fake). The admin API owns HTTP, JSON, authentication and the ControlPlane
// calls; the Runtime owns the engines, the cores and the routing snapshot.
//
// Threads: every method may be called from any thread and may block (the admin API calls them
// off its event loop). None of them is called while a ControlDb transaction is open.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "blaze/base/result.h"
#include "blaze/control/version_store.h"

namespace blaze::admin {

// Requests a version answered since the server started, and how many of them were errors
// (a 5xx answer, an uncaught exception, exceeded CPU or memory).
struct VersionStats {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
};

// One line of `blaze tail`: a finished request of the tailed worker, as a JSON object text
// (docs/admin-api.md, "Tail"). Called on a core thread: it must not block.
using TailSink = std::function<void(const std::string& json_line)>;

// Unsubscribes when destroyed.
class TailSubscription {
 public:
  virtual ~TailSubscription() = default;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Whether `version` could run: every module compiles (InvalidArgument naming file:line), and
  // every binding's resource exists (FailedPrecondition naming the binding and the command that
  // creates it: "D1 database 'x' (binding DB) does not exist: create it with `blaze d1 create
  // x`"); a service binding needs a deployed worker.
  virtual Status Check(const control::NewVersion& version) = 0;

  // Runs `GET path` on a stored version of `worker` that is not (necessarily) routed, in
  // process, and returns the HTTP status it answered (500 for an exception, 503 for a limit).
  virtual Result<int> Probe(const std::string& worker, const std::string& version_id,
                            const std::string& path) = 0;

  // Rebuilds the routing snapshot from control.db's active deployments and swaps it into every
  // core; returns once every core serves it. Versions no longer routed are released when idle.
  virtual Status Refresh() = 0;

  virtual VersionStats Stats(const std::string& version_id) = 0;

  // Where a worker is served on the data port: "http://<worker>.localhost:<port>".
  virtual std::string UrlOf(const std::string& worker) = 0;

  // Every finished request of `worker` goes to `sink` until the subscription is destroyed.
  virtual std::unique_ptr<TailSubscription> Tail(const std::string& worker, TailSink sink) = 0;
};

}  // namespace blaze::admin
