// Session: one accepted connection, living on the core that accepted it. Reads requests,
// hands each to the core's Handler, writes the response, and only then looks at the next
// request (pipelined bytes wait in the buffer), so responses always leave in request order.
//
// Buffers (input, response head) live as long as the connection and are reused per request.
// Deadlines use one lazily re-armed timer: moving a deadline later is a field write, not a
// timer operation, so keep-alive traffic costs no timer work per request.
//
// Bodies stream both ways (session_stream.cc). A request body that is chunked or larger than
// kBufferedBodyMax is handed to the Handler as a BytePipe as soon as the header is parsed; the
// session reads the socket only when the consumer asks for more. A response with a stream body
// gets its head written at once, then each chunk the source yields is framed (BodyFramer) and
// written before the next is asked for. A source error aborts the connection (RST, no
// terminator); a client that goes away cancels the source.
//
// Owned by shared_ptr: every pending operation and every outstanding Respond holds one. The
// Core keeps a raw pointer in its registry from Start until Close.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "blaze/http/body_framer.h"
#include "blaze/http/handler.h"
#include "blaze/http/message.h"
#include "blaze/http/request_parser.h"

namespace blaze::http {

class Core;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Core& core, boost::asio::ip::tcp::socket socket);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  void Start();
  // The core stops: an idle connection closes now; a busy one closes after its response.
  void OnDrain();
  // Closes the socket at once and leaves the core's registry. Idempotent.
  void Close();

  // From the Respond callable (core thread).
  void Deliver(HttpResponse response);
  void OnResponseDropped();

  // Request bodies with a Content-Length up to this are read whole before the Handler runs.
  static constexpr std::uint64_t kBufferedBodyMax = 64 * 1024;

 private:
  using Clock = std::chrono::steady_clock;
  enum class Phase { kAwaitingRequest, kReadingRequest, kHandling, kWriting, kLingering, kClosed };
  // The current request's body: read whole (or none), being streamed to the Handler, or
  // abandoned before its end (then the connection cannot be reused).
  enum class BodyState { kWhole, kStreaming, kAbandoned };

  void ReadMore();
  void OnRead(const boost::system::error_code& ec, std::size_t n);
  void Parse();
  void NeedMore();
  void SendContinue();
  void Dispatch();
  HttpRequest TakeRequest();
  Respond MakeRespond();
  void WriteResponse(HttpResponse response);
  void OnWritten(const boost::system::error_code& ec);
  void FinishResponse();
  void NextRequest();

  // Streamed bodies (session_stream.cc).
  bool StreamsBody() const;
  void DispatchStreaming();
  void PumpRequestBody();
  void FailRequestBody(const boost::system::error_code& ec);
  void AbandonRequestBody(Error why);
  void StartStreamBody();
  void PullChunk();
  void OnChunk(Result<ByteChunk> chunk);
  void OnChunkWritten(const boost::system::error_code& ec);
  void Abort();
  void FailRequest(int status, const char* message);
  void BeginLinger();
  void SetDeadline(Clock::time_point deadline);
  void ClearDeadline() { deadline_ = Clock::time_point::max(); }
  void OnTimer(const boost::system::error_code& ec);

  Core& core_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer in_;
  std::optional<RequestParser> parser_;
  std::string out_head_;
  std::string out_body_;
  std::string out_tail_;  // chunk trailer and terminator of a streamed body
  BodyState body_state_ = BodyState::kWhole;
  std::weak_ptr<BytePipe> body_pipe_;  // the streamed request body, owned by its consumer
  std::string body_bytes_;             // parsed body bytes not yet pushed into the pipe
  std::shared_ptr<ByteSource> out_stream_;  // the streamed response body being written
  std::optional<BodyFramer> framer_;
  bool out_end_ = false;
  bool read_in_flight_ = false;
  std::string remote_address_;
  std::uint16_t remote_port_ = 0;
  Phase phase_ = Phase::kAwaitingRequest;
  TraceId trace_id_;
  int request_version_ = 11;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool continue_sent_ = false;
  bool timer_armed_ = false;
  bool registered_ = true;
  std::uint64_t requests_served_ = 0;
  Clock::time_point request_start_;
  Clock::time_point deadline_ = Clock::time_point::max();
};

}  // namespace blaze::http
