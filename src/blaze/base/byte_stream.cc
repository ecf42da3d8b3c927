#include "blaze/base/byte_stream.h"

#include <algorithm>

namespace blaze {

BytePipe::BytePipe(Post post, std::optional<std::uint64_t> length)
    : post_(std::move(post)), length_(length) {}

BytePipe::~BytePipe() {
  // Dropped before its end: the producer must learn that nobody reads any more.
  if (state_ == State::kOpen && hooks_.on_cancel) hooks_.on_cancel();
}

void BytePipe::Push(std::string bytes) {
  if (state_ != State::kOpen || bytes.empty()) return;
  buffered_ += bytes.size();
  chunks_.push_back(std::move(bytes));
  if (pending_) ScheduleAnswer();
}

void BytePipe::Finish() {
  if (state_ != State::kOpen) return;
  state_ = State::kFinished;
  if (pending_) ScheduleAnswer();
}

void BytePipe::Fail(Error error) {
  if (state_ != State::kOpen) return;
  state_ = State::kFailed;
  error_ = std::move(error);
  chunks_.clear();
  front_offset_ = 0;
  buffered_ = 0;
  if (pending_) ScheduleAnswer();
}

void BytePipe::Read(std::size_t max, ReadCallback done) {
  BLAZE_CHECK(!pending_);  // one Read at a time
  BLAZE_CHECK(max > 0);
  pending_ = std::move(done);
  pending_max_ = max;
  if (buffered_ > 0 || state_ != State::kOpen) {
    ScheduleAnswer();
  } else if (hooks_.on_demand) {
    hooks_.on_demand();  // may push at once; the answer is posted either way
  }
}

void BytePipe::Cancel() {
  if (state_ == State::kCanceled) return;
  bool was_open = state_ == State::kOpen;
  state_ = State::kCanceled;
  pending_ = nullptr;
  chunks_.clear();
  front_offset_ = 0;
  buffered_ = 0;
  std::function<void()> on_cancel = std::move(hooks_.on_cancel);
  hooks_ = {};
  if (was_open && on_cancel) on_cancel();
}

void BytePipe::ScheduleAnswer() {
  if (answer_scheduled_) return;
  answer_scheduled_ = true;
  post_([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->Answer();
  });
}

void BytePipe::Answer() {
  answer_scheduled_ = false;
  if (!pending_) return;
  ReadCallback done;
  if (buffered_ > 0) {
    ByteChunk chunk{TakeBytes(pending_max_), false};
    chunk.end = buffered_ == 0 && state_ == State::kFinished;
    done = std::move(pending_);
    done(std::move(chunk));
  } else if (state_ == State::kFinished) {
    done = std::move(pending_);
    done(ByteChunk{{}, true});
  } else if (state_ == State::kFailed) {
    done = std::move(pending_);
    done(::blaze::Fail(*error_));
  } else if (state_ == State::kCanceled) {
    done = std::move(pending_);  // a Read after Cancel: a consumer bug, but answer it
    done(::blaze::Fail(Aborted("the stream was cancelled")));
  }
  // Still open with nothing buffered: the Read keeps waiting for the producer.
}

std::string BytePipe::TakeBytes(std::size_t max) {
  std::string out;
  while (!chunks_.empty() && out.size() < max) {
    std::string& front = chunks_.front();
    std::size_t take = std::min(front.size() - front_offset_, max - out.size());
    if (out.empty() && front_offset_ == 0 && take == front.size()) {
      out = std::move(front);  // the common case: one whole chunk, no copy
    } else {
      out.append(front, front_offset_, take);
      front_offset_ += take;
      if (front_offset_ < front.size()) break;
    }
    chunks_.pop_front();
    front_offset_ = 0;
  }
  buffered_ -= out.size();
  return out;
}

}  // namespace blaze
