// ByteSource: a pull-based stream of bytes between a producer and a consumer living on the same
// thread (one core). It is how bodies cross layer boundaries without being buffered whole: the
// http/ session hands a request body to the engine as a ByteSource, and the engine hands a
// worker's streamed Response back the same way. It lives here because both sides must name it
// and neither may include the other.
//
// BytePipe: the ByteSource a producer pushes into. The consumer's Read is answered from what was
// pushed; when nothing is buffered the producer is asked for more (`on_demand`), so a producer
// that only produces on demand never holds more than one step of data (backpressure).
//
// Threading: single-threaded. Answers are never delivered inside Read(): they go through the
// `Post` function the pipe was built with (the owner's io_context), so neither side is re-entered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "blaze/base/result.h"

namespace blaze {

// One answer to a Read: some bytes, and whether they are the last.
struct ByteChunk {
  std::string bytes;
  bool end = false;  // nothing follows these bytes
};

class ByteSource {
 public:
  using ReadCallback = std::function<void(Result<ByteChunk>)>;

  virtual ~ByteSource() = default;

  // Asks for at most `max` (> 0) bytes. `done` runs exactly once, later (never inside Read), on
  // the owner's thread, with 1..max bytes and end=false, or 0..max bytes and end=true, or an
  // error: the stream is broken (Unavailable: the peer went away; ResourceExhausted: over a size
  // limit; InvalidArgument: malformed framing; Aborted: the producer failed). After the end or
  // an error every later Read gives the same. At most one Read may be outstanding.
  virtual void Read(std::size_t max, ReadCallback done) = 0;

  // The consumer is done, maybe before the end: the producer stops and lets go of what it holds.
  // An outstanding Read's callback is dropped without running. Idempotent. Destroying a source
  // that has not reached its end cancels it as well.
  virtual void Cancel() = 0;

  // The total length when it is known up front (a Content-Length), else nullopt.
  virtual std::optional<std::uint64_t> length() const { return std::nullopt; }
};

// Runs a task later on the owner's thread (e.g. boost::asio::post to the core's io_context).
using Post = std::function<void(std::function<void()>)>;

class BytePipe final : public ByteSource, public std::enable_shared_from_this<BytePipe> {
 public:
  struct Hooks {
    // A Read found nothing buffered: produce more (Push, Finish or Fail), now or later.
    std::function<void()> on_demand;
    // The consumer cancelled or dropped the pipe; the producer must stop pushing.
    std::function<void()> on_cancel;
  };

  // Use make_shared: answers are posted with a weak reference to the pipe.
  BytePipe(Post post, std::optional<std::uint64_t> length = std::nullopt);
  ~BytePipe() override;
  BytePipe(const BytePipe&) = delete;
  BytePipe& operator=(const BytePipe&) = delete;

  // Producer side. Hooks may be replaced or cleared (a producer going away clears them).
  void set_hooks(Hooks hooks) { hooks_ = std::move(hooks); }
  void Push(std::string bytes);  // empty pushes are ignored
  void Finish();                 // the end, after what was pushed
  void Fail(Error error);        // broken: buffered bytes are dropped, Reads get `error`
  // A Read is waiting and nothing is buffered: the producer is expected to produce.
  bool waiting() const { return pending_ && buffered_ == 0 && state_ == State::kOpen; }
  bool canceled() const { return state_ == State::kCanceled; }
  bool closed() const { return state_ != State::kOpen; }  // finished, failed or cancelled
  std::size_t buffered() const { return buffered_; }

  // ByteSource (consumer side).
  void Read(std::size_t max, ReadCallback done) override;
  void Cancel() override;
  std::optional<std::uint64_t> length() const override { return length_; }

 private:
  enum class State { kOpen, kFinished, kFailed, kCanceled };

  void ScheduleAnswer();
  void Answer();
  std::string TakeBytes(std::size_t max);

  Post post_;
  std::optional<std::uint64_t> length_;
  Hooks hooks_;
  State state_ = State::kOpen;
  std::optional<Error> error_;
  std::deque<std::string> chunks_;
  std::size_t front_offset_ = 0;  // bytes of chunks_.front() already handed out
  std::size_t buffered_ = 0;
  ReadCallback pending_;
  std::size_t pending_max_ = 0;
  bool answer_scheduled_ = false;
};

}  // namespace blaze
