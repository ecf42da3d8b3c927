// GET /api/v1/workers/{w}/tail: a streaming NDJSON response, one line per finished request of
// the worker (Runtime::Tail), until the client goes away or the server stops.
//
// The Runtime calls the sink on its own core threads; each line is posted to this admin core
// and pushed into the response's BytePipe. A client that reads slower than lines arrive loses
// lines beyond ApiTuning::tail_max_buffered_bytes (the serving side never waits for a tail).
// A quiet stream sends an empty line every tail_heartbeat: a write to a client that left
// fails, the session cancels the body, and the subscription is dropped.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "blaze/admin/core_state.h"
#include "blaze/admin/runtime.h"
#include "blaze/http/message.h"

namespace blaze::admin {

class TailStream : public std::enable_shared_from_this<TailStream> {
 public:
  // Subscribes to `worker`'s requests and returns the 200 response streaming them.
  static http::HttpResponse Start(CoreState& core, const std::string& worker);

  TailStream(CoreState& core, std::size_t max_buffered, std::chrono::milliseconds heartbeat);
  ~TailStream();
  TailStream(const TailStream&) = delete;
  TailStream& operator=(const TailStream&) = delete;

  // Ends the stream cleanly (server stop). Core thread.
  void End();

 private:
  // Where the Runtime's sink posts lines: closed when the stream goes, so a late line from a
  // serving core finds nothing to post to.
  struct Gate {
    std::mutex mu;
    boost::asio::io_context* io = nullptr;
    std::weak_ptr<TailStream> stream;
  };

  void OnLine(std::string line);
  void ArmHeartbeat();
  void Unsubscribe();

  std::weak_ptr<BytePipe> pipe_;
  std::unique_ptr<TailSubscription> subscription_;
  std::shared_ptr<Gate> gate_;
  boost::asio::steady_timer timer_;
  std::size_t max_buffered_;
  std::chrono::milliseconds heartbeat_;
  bool sent_since_beat_ = false;
  std::uint64_t dropped_ = 0;
};

}  // namespace blaze::admin
