#include "blaze/http/session.h"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include "blaze/http/core.h"
#include "blaze/http/error_body.h"
#include "blaze/http/response_writer.h"

namespace blaze::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kBodyReadChunk = 64 * 1024;  // a streamed request body: one chunk per read
// Bodies up to this size are copied behind the head so the write is one buffer.
constexpr std::size_t kInlineBodyMax = 4 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Shared by every copy of one Respond: enforces "exactly once" and answers 500 when the last
// copy dies uncalled.
struct ResponseSlot {
  explicit ResponseSlot(std::shared_ptr<Session> s) : session(std::move(s)) {}
  ~ResponseSlot() {
    if (!done) session->OnResponseDropped();
  }
  std::shared_ptr<Session> session;
  bool done = false;
};

TraceId TraceIdFor(const RequestParser& parser, TraceIdSource& source) {
  const auto& incoming = parser.incoming_trace_id();
  return incoming ? *incoming : source.Next();
}

}  // namespace

Session::Session(Core& core, asio::ip::tcp::socket socket)
    : core_(core), socket_(std::move(socket)), timer_(core.io()) {
  error_code ec;
  auto peer = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_address_ = peer.address().to_string();
    remote_port_ = peer.port();
  }
}

Session::~Session() {
  if (registered_) core_.Unregister(this);
}

void Session::Start() {
  request_start_ = Clock::now();  // slowloris: the first header is timed from accept
  SetDeadline(request_start_ + core_.limits().header_timeout);
  parser_.emplace(core_.limits());
  ReadMore();
}

void Session::ReadMore() {
  read_in_flight_ = true;
  socket_.async_read_some(
      in_.prepare(body_state_ == BodyState::kStreaming ? kBodyReadChunk : kReadChunk),
      [self = shared_from_this()](const error_code& ec, std::size_t n) { self->OnRead(ec, n); });
}

void Session::OnRead(const error_code& ec, std::size_t n) {
  read_in_flight_ = false;
  if (phase_ == Phase::kClosed) return;
  if (ec) {  // EOF or reset; mid-request too: a request is never delimited by EOF
    Close();
    return;
  }
  in_.commit(n);
  if (phase_ == Phase::kLingering) {
    in_.consume(in_.size());
    ReadMore();
    return;
  }
  if (body_state_ == BodyState::kStreaming) {
    PumpRequestBody();
    return;
  }
  if (body_state_ == BodyState::kAbandoned) {  // body bytes nobody wants; linger drains the rest
    in_.consume(in_.size());
    return;
  }
  if (phase_ == Phase::kAwaitingRequest) {
    phase_ = Phase::kReadingRequest;
    if (requests_served_ > 0) request_start_ = Clock::now();
  }
  Parse();
}

void Session::Parse() {
  while (!parser_->is_done()) {
    if (parser_->is_header_done() && StreamsBody()) {
      DispatchStreaming();
      return;
    }
    if (in_.size() == 0) {
      NeedMore();
      return;
    }
    error_code ec;
    std::size_t used = parser_->Feed(in_.data(), ec);
    in_.consume(used);
    if (ec == bhttp::error::need_more || (!ec && used == 0)) {
      if (parser_->is_header_done() && StreamsBody()) break;  // the body streams from here
      NeedMore();
      return;
    }
    if (ec) {
      FailRequest(StatusForParseError(ec), MessageForParseError(ec));
      return;
    }
  }
  if (!parser_->is_done()) return DispatchStreaming();
  Dispatch();
}

void Session::NeedMore() {
  if (!parser_->is_header_done()) {
    SetDeadline(request_start_ + core_.limits().header_timeout);
  } else {
    SetDeadline(Clock::now() + core_.limits().idle_timeout);  // body must keep moving
    if (parser_->expects_continue() && !continue_sent_) {
      SendContinue();
      return;
    }
  }
  ReadMore();
}

void Session::SendContinue() {
  continue_sent_ = true;
  asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                    [self = shared_from_this()](const error_code& ec, std::size_t) {
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) {
                        self->Close();
                        return;
                      }
                      self->ReadMore();
                    });
}

void Session::Dispatch() {
  HttpRequest request = TakeRequest();
  parser_.reset();
  core_.handler().Handle(std::move(request), MakeRespond());
}

// The parsed request with the connection's data, the session moved to kHandling.
HttpRequest Session::TakeRequest() {
  HttpRequest& parsed = parser_->request();
  keep_alive_ = parser_->keep_alive() && !core_.draining();
  request_version_ = parsed.version;
  head_request_ = parsed.method == "HEAD";
  trace_id_ = TraceIdFor(*parser_, core_.trace_ids());
  parsed.trace_id = trace_id_;
  parsed.remote_address = remote_address_;
  parsed.remote_port = remote_port_;
  phase_ = Phase::kHandling;
  ClearDeadline();  // the handler's own limits bound its time, not the connection's
  return std::move(parsed);
}

Respond Session::MakeRespond() {
  auto slot = std::make_shared<ResponseSlot>(shared_from_this());
  return [slot](HttpResponse response) {
    BLAZE_CHECK(!slot->done);  // Respond called twice
    slot->done = true;
    slot->session->Deliver(std::move(response));
  };
}

void Session::Deliver(HttpResponse response) {
  if (phase_ != Phase::kHandling) {  // connection already gone
    if (response.body.stream()) response.body.stream()->Cancel();
    return;
  }
  WriteResponse(std::move(response));
}

void Session::OnResponseDropped() {
  if (phase_ != Phase::kHandling) return;
  WriteResponse(ErrorResponse(500, "handler dropped the request"));
}

void Session::WriteResponse(HttpResponse response) {
  keep_alive_ = keep_alive_ && !core_.draining();
  // An HTTP/1.0 client learns where a stream of unknown length ends only from the close.
  if (!response.body.is_buffered() && !response.body.stream_length() && request_version_ == 10)
    keep_alive_ = false;
  ResponseFraming framing{request_version_, keep_alive_, head_request_};
  std::string_view date = core_.date().Now();
  out_head_.clear();
  if (!AppendResponseHead(response, framing, trace_id_, date, out_head_)) {
    response = ErrorResponse(500, "handler produced an invalid response");
    out_head_.clear();
    BLAZE_CHECK(AppendResponseHead(response, framing, trace_id_, date, out_head_).has_value());
  }
  out_body_.clear();
  if (!response.body.is_buffered()) {
    if (SendsBody(response.status, framing)) {
      out_stream_ = std::move(response.body).TakeStream();
      framer_.emplace(BodyFramer::For(response.body.stream_length(), request_version_));
    } else {
      response.body.stream()->Cancel();  // HEAD, 204, 304: nobody reads it
    }
  } else if (SendsBody(response.status, framing)) {
    if (response.body.size() <= kInlineBodyMax) {
      out_head_.append(response.body.buffered());
    } else {
      out_body_ = std::move(response.body).TakeBuffered();
    }
  }
  phase_ = Phase::kWriting;
  SetDeadline(Clock::now() + core_.limits().idle_timeout);  // a client that never reads
  std::array<asio::const_buffer, 2> buffers{asio::buffer(out_head_), asio::buffer(out_body_)};
  if (out_stream_) {
    StartStreamBody();
    return;
  }
  asio::async_write(
      socket_, buffers,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->OnWritten(ec); });
}

void Session::OnWritten(const error_code& ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    Close();
    return;
  }
  FinishResponse();
}

// The response is on the wire: read the next request, or close.
void Session::FinishResponse() {
  ++requests_served_;
  if (out_body_.capacity() > kInlineBodyMax) std::string().swap(out_body_);  // don't pin big bodies
  if (body_state_ == BodyState::kStreaming) {
    AbandonRequestBody(Aborted("the response was sent before the request body was read"));
  }
  if (body_state_ == BodyState::kAbandoned) keep_alive_ = false;  // unread body bytes follow
  if (!keep_alive_ || core_.draining()) {
    BeginLinger();
    return;
  }
  NextRequest();
}

void Session::NextRequest() {
  parser_.emplace(core_.limits());
  continue_sent_ = false;
  body_state_ = BodyState::kWhole;
  if (in_.size() > 0) {  // a pipelined request is already here
    phase_ = Phase::kReadingRequest;
    request_start_ = Clock::now();
    Parse();
    return;
  }
  phase_ = Phase::kAwaitingRequest;
  SetDeadline(Clock::now() + core_.limits().idle_timeout);
  ReadMore();
}

void Session::FailRequest(int status, const char* message) {
  // The stream cannot be resynchronised after a bad request: answer, then close.
  keep_alive_ = false;
  head_request_ = false;
  request_version_ = 11;
  trace_id_ = TraceIdFor(*parser_, core_.trace_ids());
  parser_.reset();
  phase_ = Phase::kHandling;
  WriteResponse(ErrorResponse(status, message));
}

void Session::BeginLinger() {
  // Half-close and discard what the client still sends: closing with unread input would make
  // the kernel send a reset, which can destroy the response before the client reads it.
  phase_ = Phase::kLingering;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  in_.consume(in_.size());
  SetDeadline(Clock::now() + core_.limits().linger_timeout);
  if (!read_in_flight_) ReadMore();  // else the read under way comes back here
}

void Session::OnDrain() {
  if (phase_ == Phase::kAwaitingRequest) Close();  // idle keep-alive connection
  // Otherwise the current request finishes; WriteResponse adds "connection: close".
}

void Session::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  if (body_state_ == BodyState::kStreaming) {
    if (auto pipe = body_pipe_.lock()) {
      pipe->set_hooks({});
      pipe->Fail(Unavailable("the client disconnected before sending the whole request body"));
    }
    body_state_ = BodyState::kAbandoned;
  }
  if (out_stream_) {  // the client is gone (or the body broke): stop the producer
    std::shared_ptr<ByteSource> stream = std::move(out_stream_);
    stream->Cancel();
  }
  if (registered_) {
    registered_ = false;
    core_.Unregister(this);
  }
}

void Session::SetDeadline(Clock::time_point deadline) {
  deadline_ = deadline;
  // A pending wait that fires no later than the deadline re-arms itself lazily in OnTimer.
  if (timer_armed_ && timer_.expiry() <= deadline) return;
  timer_.expires_at(deadline);  // cancels a later pending wait, whose handler then ignores it
  timer_armed_ = true;
  timer_.async_wait([self = shared_from_this()](const error_code& ec) { self->OnTimer(ec); });
}

void Session::OnTimer(const error_code& ec) {
  if (ec == asio::error::operation_aborted) return;  // superseded by a newer wait
  timer_armed_ = false;
  if (phase_ == Phase::kClosed || deadline_ == Clock::time_point::max()) return;
  if (Clock::now() < deadline_) {
    SetDeadline(deadline_);
    return;
  }
  Close();  // header timeout, idle keep-alive, stalled body or write, or linger over
}

}  // namespace blaze::http
