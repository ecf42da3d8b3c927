// Session: streamed bodies in both directions (see session.h). Request bodies: produced into a
// BytePipe on demand, one socket read per demand. Response bodies: pulled from the ByteSource
// one chunk at a time, each framed and written before the next Read.
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "blaze/http/core.h"
#include "blaze/http/session.h"

namespace blaze::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {
// The most a response stream is asked for at once; sources yield what they have, up to this.
constexpr std::size_t kStreamReadMax = 256 * 1024;
}  // namespace

// ---- request bodies ----------------------------------------------------------------------

// Called with the header parsed and the body not complete in what has arrived so far.
bool Session::StreamsBody() const {
  if (parser_->is_done()) return false;
  if (parser_->chunked()) return true;
  auto length = parser_->content_length();
  return length && *length > kBufferedBodyMax;
}

void Session::DispatchStreaming() {
  std::optional<std::uint64_t> length;
  if (!parser_->chunked()) length = parser_->content_length().value_or(0);
  auto& io = core_.io();
  auto pipe = std::make_shared<BytePipe>(
      [&io](std::function<void()> task) { asio::post(io, std::move(task)); }, length);
  std::weak_ptr<Session> weak = shared_from_this();
  pipe->set_hooks({
      .on_demand =
          [weak] {
            if (auto self = weak.lock()) self->PumpRequestBody();
          },
      .on_cancel =
          [weak] {
            auto self = weak.lock();
            if (self && self->body_state_ == BodyState::kStreaming)
              self->AbandonRequestBody(Aborted("the request body was cancelled"));
          },
  });
  body_pipe_ = pipe;
  body_state_ = BodyState::kStreaming;
  parser_->StreamBodyTo(&body_bytes_);
  if (!body_bytes_.empty()) pipe->Push(std::exchange(body_bytes_, {}));  // what came with the head
  HttpRequest request = TakeRequest();
  request.body = Body::Stream(std::move(pipe), length);
  // The parser stays for the body. A client waiting for `100 Continue` gets it before the
  // handler runs: later it could collide with the response head.
  if (!parser_->expects_continue() || continue_sent_) {
    core_.handler().Handle(std::move(request), MakeRespond());
    return;
  }
  continue_sent_ = true;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  auto pending = std::make_shared<HttpRequest>(std::move(request));
  asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                    [self = shared_from_this(), pending](const error_code& ec, std::size_t) {
                      if (ec || self->phase_ == Phase::kClosed) return self->Close();
                      self->core_.handler().Handle(std::move(*pending), self->MakeRespond());
                    });
}

// Produces the next piece of the body if the consumer waits for one: from bytes already
// received, else from one socket read.
void Session::PumpRequestBody() {
  if (body_state_ != BodyState::kStreaming || phase_ == Phase::kClosed) return;
  auto pipe = body_pipe_.lock();
  if (!pipe || !pipe->waiting()) return;
  while (body_bytes_.empty() && in_.size() > 0 && !parser_->is_done()) {
    error_code ec;
    std::size_t used = parser_->Feed(in_.data(), ec);
    in_.consume(used);
    if (ec == bhttp::error::need_more || (!ec && used == 0)) break;
    if (ec) return FailRequestBody(ec);
  }
  if (!body_bytes_.empty()) pipe->Push(std::exchange(body_bytes_, {}));
  if (parser_->is_done()) {
    pipe->set_hooks({});
    pipe->Finish();
    body_state_ = BodyState::kWhole;  // what follows in in_ is the next request
    return;
  }
  if (!pipe->waiting() || read_in_flight_) return;
  SetDeadline(Clock::now() + core_.limits().idle_timeout);  // the body must keep moving
  ReadMore();
}

// Over the body limit, or malformed chunking: the worker's stream errors; the connection is
// not reusable (the rest of the body cannot be skipped reliably).
void Session::FailRequestBody(const error_code& ec) {
  Error error = ec == bhttp::error::body_limit
                    ? ResourceExhausted("request body too large")
                    : InvalidArgument(std::string("malformed request body: ") + ec.message());
  if (auto pipe = body_pipe_.lock()) {
    pipe->set_hooks({});
    pipe->Fail(std::move(error));
  }
  body_state_ = BodyState::kAbandoned;
  keep_alive_ = false;
  in_.consume(in_.size());
}

// Nobody will read the rest of the body: stop reading it; the connection closes after the
// response (lingering discards what the client still sends).
void Session::AbandonRequestBody(Error why) {
  if (auto pipe = body_pipe_.lock()) {
    pipe->set_hooks({});
    pipe->Fail(std::move(why));
  }
  body_state_ = BodyState::kAbandoned;
  keep_alive_ = false;
  in_.consume(in_.size());
}

// ---- response bodies ---------------------------------------------------------------------

// The head goes out at once (the client sees the status before the first chunk is produced).
void Session::StartStreamBody() {
  asio::async_write(
      socket_, asio::buffer(out_head_),
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->OnChunkWritten(ec); });
}

void Session::PullChunk() {
  // Waiting for the producer is the handler's time, bounded by its own limits; a body read of
  // the same request may still have its deadline running.
  if (!read_in_flight_) ClearDeadline();
  out_stream_->Read(kStreamReadMax, [self = shared_from_this()](Result<ByteChunk> chunk) {
    self->OnChunk(std::move(chunk));
  });
}

void Session::OnChunk(Result<ByteChunk> chunk) {
  if (phase_ == Phase::kClosed || !out_stream_) return;
  if (!chunk) return Abort();  // the producer failed: the client must not see a complete body
  out_head_.clear();
  out_tail_.clear();
  out_body_ = std::move(chunk->bytes);
  out_end_ = chunk->end;
  if (!out_body_.empty() && !framer_->Frame(out_body_.size(), out_head_, out_tail_)) return Abort();
  if (out_end_ && !framer_->Finish(out_tail_)) return Abort();
  SetDeadline(Clock::now() + core_.limits().idle_timeout);  // a client that never reads
  std::array<asio::const_buffer, 3> buffers{asio::buffer(out_head_), asio::buffer(out_body_),
                                            asio::buffer(out_tail_)};
  asio::async_write(
      socket_, buffers,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->OnChunkWritten(ec); });
}

void Session::OnChunkWritten(const error_code& ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec) return Close();  // the client went away: Close cancels the source
  if (!out_end_) return PullChunk();
  out_stream_.reset();
  framer_.reset();
  out_end_ = false;
  out_tail_.clear();
  FinishResponse();
}

// Ends the connection with a reset, so a client reading a close-delimited or fixed-length body
// cannot mistake the cut for its end (a chunked one lacks the terminator either way).
void Session::Abort() {
  error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  Close();
}

}  // namespace blaze::http
