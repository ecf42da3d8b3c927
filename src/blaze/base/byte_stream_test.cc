#include "blaze/base/byte_stream.h"

#include <gtest/gtest.h>

#include <deque>
#include <optional>

namespace blaze {
namespace {

// A stand-in for the core's io_context: posted tasks wait here until the test runs them.
struct TaskQueue {
  std::deque<std::function<void()>> tasks;
  Post post() {
    return [this](std::function<void()> task) { tasks.push_back(std::move(task)); };
  }
  void RunAll() {
    while (!tasks.empty()) {
      auto task = std::move(tasks.front());
      tasks.pop_front();
      task();
    }
  }
};

struct Reader {
  std::optional<Result<ByteChunk>> answer;
  ByteSource::ReadCallback callback() {
    return [this](Result<ByteChunk> r) { answer = std::move(r); };
  }
};

TEST(BytePipe, ReadIsAnsweredLaterNeverInsideRead) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  pipe->Push("hello");
  Reader r;
  pipe->Read(100, r.callback());
  EXPECT_FALSE(r.answer.has_value());
  q.RunAll();
  ASSERT_TRUE(r.answer.has_value() && r.answer->has_value());
  EXPECT_EQ((*r.answer)->bytes, "hello");
  EXPECT_FALSE((*r.answer)->end);
}

TEST(BytePipe, AskingWithNothingBufferedCallsOnDemandAndWaitsForThePush) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  int demands = 0;
  pipe->set_hooks({.on_demand = [&] { ++demands; }});
  Reader r;
  pipe->Read(100, r.callback());
  EXPECT_EQ(demands, 1);
  EXPECT_TRUE(pipe->waiting());
  q.RunAll();
  EXPECT_FALSE(r.answer.has_value());
  pipe->Push("late");
  EXPECT_FALSE(pipe->waiting());
  q.RunAll();
  ASSERT_TRUE(r.answer.has_value());
  EXPECT_EQ((*r.answer)->bytes, "late");
}

TEST(BytePipe, BufferedBytesAreNotADemand) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  int demands = 0;
  pipe->set_hooks({.on_demand = [&] { ++demands; }});
  pipe->Push("ab");
  Reader r;
  pipe->Read(100, r.callback());
  q.RunAll();
  EXPECT_EQ(demands, 0);
}

TEST(BytePipe, ReadsNeverExceedMaxAndJoinSmallChunks) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  pipe->Push("abcdef");
  pipe->Push("gh");
  pipe->Push("ij");
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    Reader r;
    pipe->Read(4, r.callback());
    q.RunAll();
    seen.push_back((*r.answer)->bytes);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"abcd", "efgh", "ij"}));
  EXPECT_EQ(pipe->buffered(), 0u);
}

TEST(BytePipe, TheLastBytesCarryTheEndWhenFinishedAlready) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post(), 3);
  EXPECT_EQ(pipe->length(), 3u);
  pipe->Push("xyz");
  pipe->Finish();
  Reader r;
  pipe->Read(10, r.callback());
  q.RunAll();
  EXPECT_EQ((*r.answer)->bytes, "xyz");
  EXPECT_TRUE((*r.answer)->end);
  Reader again;
  pipe->Read(10, again.callback());
  q.RunAll();
  EXPECT_TRUE((*again.answer)->end);
  EXPECT_TRUE((*again.answer)->bytes.empty());
}

TEST(BytePipe, FailBreaksTheStreamAndDropsBufferedBytes) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  pipe->Push("lost");
  pipe->Fail(ResourceExhausted("too large"));
  for (int i = 0; i < 2; ++i) {
    Reader r;
    pipe->Read(10, r.callback());
    q.RunAll();
    ASSERT_TRUE(r.answer.has_value());
    ASSERT_FALSE(r.answer->has_value());
    EXPECT_EQ(r.answer->error().code(), ErrorCode::kResourceExhausted);
  }
}

TEST(BytePipe, CancelDropsTheOutstandingReadAndTellsTheProducerOnce) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  int cancels = 0;
  pipe->set_hooks({.on_demand = [] {}, .on_cancel = [&] { ++cancels; }});
  Reader r;
  pipe->Read(10, r.callback());
  pipe->Cancel();
  pipe->Cancel();
  pipe->Push("ignored");
  q.RunAll();
  EXPECT_FALSE(r.answer.has_value());
  EXPECT_EQ(cancels, 1);
  EXPECT_TRUE(pipe->canceled());
}

TEST(BytePipe, AnAnswerAlreadyPostedIsDroppedByCancel) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  pipe->Push("x");
  Reader r;
  pipe->Read(10, r.callback());
  pipe->Cancel();  // the answer task is queued but must not call back
  q.RunAll();
  EXPECT_FALSE(r.answer.has_value());
}

TEST(BytePipe, DroppingAnOpenPipeCancelsItButAFinishedOneDoesNot) {
  TaskQueue q;
  int cancels = 0;
  {
    auto pipe = std::make_shared<BytePipe>(q.post());
    pipe->set_hooks({.on_cancel = [&] { ++cancels; }});
  }
  EXPECT_EQ(cancels, 1);
  {
    auto pipe = std::make_shared<BytePipe>(q.post());
    pipe->set_hooks({.on_cancel = [&] { ++cancels; }});
    pipe->Finish();
  }
  EXPECT_EQ(cancels, 1);
  q.RunAll();  // tasks posted by dead pipes do nothing
}

TEST(BytePipe, AProducerPushingOnDemandKeepsAtMostOneChunkBuffered) {
  TaskQueue q;
  auto pipe = std::make_shared<BytePipe>(q.post());
  int produced = 0;
  pipe->set_hooks({.on_demand = [&] {
    if (produced == 5) {
      pipe->Finish();
    } else {
      pipe->Push(std::string(8, static_cast<char>('a' + produced++)));
    }
  }});
  std::string all;
  bool end = false;
  while (!end) {
    Reader r;
    pipe->Read(64, r.callback());
    EXPECT_LE(pipe->buffered(), 8u);
    q.RunAll();
    ASSERT_TRUE(r.answer.has_value() && r.answer->has_value());
    all += (*r.answer)->bytes;
    end = (*r.answer)->end;
  }
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(produced, 5);
}

}  // namespace
}  // namespace blaze
