#include "blaze/admin/tail.h"

#include <boost/asio/post.hpp>

#include "blaze/base/log.h"

namespace blaze::admin {

namespace asio = boost::asio;

TailStream::TailStream(CoreState& core, std::size_t max_buffered,
                       std::chrono::milliseconds heartbeat)
    : gate_(std::make_shared<Gate>()),
      timer_(core.io()),
      max_buffered_(max_buffered),
      heartbeat_(heartbeat) {
  gate_->io = &core.io();
}

TailStream::~TailStream() { Unsubscribe(); }

http::HttpResponse TailStream::Start(CoreState& core, const std::string& worker) {
  const ApiTuning& tuning = core.ctx().tuning();
  auto stream = std::make_shared<TailStream>(core, tuning.tail_max_buffered_bytes,
                                             tuning.tail_heartbeat);
  stream->gate_->stream = stream;
  auto pipe = std::make_shared<BytePipe>(core.post());
  stream->pipe_ = pipe;
  // The pipe (owned by the session writing the response) keeps the stream alive; when the
  // client goes away the session cancels the pipe, which unsubscribes.
  pipe->set_hooks({.on_demand = {}, .on_cancel = [stream] { stream->Unsubscribe(); }});
  std::shared_ptr<Gate> gate = stream->gate_;
  stream->subscription_ =
      core.ctx().runtime().Tail(worker, [gate](const std::string& json_line) {
        std::lock_guard lock(gate->mu);
        if (!gate->io) return;
        asio::post(*gate->io, [weak = gate->stream, line = json_line]() mutable {
          if (auto self = weak.lock()) self->OnLine(std::move(line));
        });
      });
  stream->ArmHeartbeat();
  core.AddTail(stream);

  http::HttpResponse response;
  response.status = 200;
  response.headers.push_back({"content-type", "application/x-ndjson"});
  response.headers.push_back({"cache-control", "no-store"});
  response.body = http::Body::Stream(std::move(pipe));
  return response;
}

void TailStream::OnLine(std::string line) {
  auto pipe = pipe_.lock();
  if (!pipe || pipe->closed()) return;
  if (pipe->buffered() + line.size() > max_buffered_) {
    if (dropped_++ == 0) log::Warn("admin.tail_lines_dropped", {{"reason", "slow client"}});
    return;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  line.push_back('\n');
  sent_since_beat_ = true;
  pipe->Push(std::move(line));
}

void TailStream::ArmHeartbeat() {
  timer_.expires_after(heartbeat_);
  timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self) return;
    auto pipe = self->pipe_.lock();
    if (!pipe || pipe->closed()) return;
    if (!self->sent_since_beat_ && pipe->buffered() == 0) pipe->Push("\n");
    self->sent_since_beat_ = false;
    self->ArmHeartbeat();
  });
}

void TailStream::Unsubscribe() {
  {
    std::lock_guard lock(gate_->mu);
    gate_->io = nullptr;
  }
  subscription_.reset();
  timer_.cancel();
}

void TailStream::End() {
  auto self = shared_from_this();  // clearing the hooks may drop the last other reference
  Unsubscribe();
  if (auto pipe = pipe_.lock()) {
    pipe->set_hooks({});
    pipe->Finish();
  }
}

}  // namespace blaze::admin
