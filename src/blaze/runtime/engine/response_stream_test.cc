// Streamed bodies through the Engine with the real Web API prelude: a Response made from a
// ReadableStream is pulled one chunk per Read (each a slice: limits apply), errors and kills
// fail the Read, cancelling runs the stream's cancel(); request bodies are read on demand and
// an untouched one passes straight through.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

class StreamTest : public ::testing::Test {
 protected:
  StreamTest() {
    EngineOptions options;                               // the real prelude
    options.outbound.timeout = std::chrono::seconds(5);  // a regression fails, never hangs
    auto created = Engine::Create(testing::Process(), io_, options);
    if (!created) ADD_FAILURE() << created.error().ToString();
    engine_ = std::move(*created);
  }

  std::shared_ptr<const WorkerBundle> Compile(const std::string& source) {
    auto bundle = engine_->Compile({"worker.js", {{"worker.js", source}}});
    if (!bundle) ADD_FAILURE() << bundle.error().ToString();
    return bundle ? *bundle : nullptr;
  }

  // Invokes and runs the loop until the response phase is reported; `finished` is filled later.
  Invocation Start(const std::shared_ptr<const WorkerBundle>& bundle, WorkerRequest request,
                   WorkerConfig config = {}, bool track_finish = true) {
    std::optional<Invocation> done;
    InvocationCallback on_finished;
    if (track_finish) on_finished = [this](Invocation i) { finished_ = std::move(i); };
    engine_->Invoke(
        bundle, config, std::move(request), [&](Invocation i) { done = std::move(i); },
        on_finished);
    RunUntil([&] { return done.has_value(); });
    return done.value_or(Invocation{});
  }

  void RunUntil(const std::function<bool()>& pred) {
    io_.restart();
    while (!pred() && io_.run_one() > 0) {
    }
    EXPECT_TRUE(pred()) << "the loop ran dry first";
  }

  Result<ByteChunk> Read(ByteSource& source, std::size_t max = 1 << 20) {
    std::optional<Result<ByteChunk>> answer;
    source.Read(max, [&](Result<ByteChunk> r) { answer = std::move(r); });
    RunUntil([&] { return answer.has_value(); });
    return answer.value_or(Fail(Internal("no answer")));
  }

  std::string ReadAll(ByteSource& source) {
    std::string all;
    for (;;) {
      auto chunk = Read(source);
      if (!chunk) return all + "<error: " + chunk.error().message() + ">";
      all += chunk->bytes;
      if (chunk->end) return all;
    }
  }

  // A second request to the same version, to look at module state.
  std::string Query(const std::shared_ptr<const WorkerBundle>& bundle, std::string path) {
    Invocation inv = Start(bundle, testing::Get("https://w.test" + path), {}, false);
    EXPECT_EQ(inv.outcome, Outcome::kOk) << inv.exception;
    return inv.response.body;
  }

  std::shared_ptr<BytePipe> NewPipe(std::optional<std::uint64_t> length = std::nullopt) {
    return std::make_shared<BytePipe>(
        [this](std::function<void()> task) { boost::asio::post(io_, std::move(task)); }, length);
  }

  boost::asio::io_context io_;
  std::unique_ptr<Engine> engine_;
  std::optional<Invocation> finished_;
};

const char* kCountingStream = R"(
  let pulls = 0;
  let cancelled = null;
  export default { fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/pulls') return new Response(String(pulls));
    if (url.pathname === '/cancelled') return new Response(String(cancelled));
    const enc = new TextEncoder();
    return new Response(new ReadableStream({
      pull(c) {
        pulls++;
        c.enqueue(enc.encode('chunk' + pulls + ';'));
        if (pulls === 4) c.close();
      },
      cancel(reason) { cancelled = String(reason); },
    }), { headers: { 'x-streamed': 'yes' } });
  } };)";

TEST_F(StreamTest, AStreamResponseIsAnsweredAtOnceAndPulledOneChunkPerRead) {
  auto bundle = Compile(kCountingStream);
  Invocation inv = Start(bundle, testing::Get("https://w.test/"));
  ASSERT_EQ(inv.outcome, Outcome::kOk) << inv.exception;
  ASSERT_TRUE(inv.response.body_stream);
  EXPECT_TRUE(inv.response.body.empty());
  EXPECT_EQ(inv.response.status, 200);
  auto first = Read(*inv.response.body_stream);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(first->bytes, "chunk1;");
  // Backpressure: nothing is produced far ahead of what was read.
  EXPECT_LE(std::stoi(Query(bundle, "/pulls")), 2);
  EXPECT_FALSE(finished_.has_value());  // the invocation lasts as long as its body
  EXPECT_EQ(ReadAll(*inv.response.body_stream), "chunk2;chunk3;chunk4;");
  RunUntil([&] { return finished_.has_value(); });
  EXPECT_EQ(finished_->outcome, Outcome::kOk);
  EXPECT_GT(finished_->cpu_time.count(), 0);
}

TEST_F(StreamTest, CancellingTheBodyCancelsTheJsStreamAndEndsTheInvocationAsCanceled) {
  auto bundle = Compile(kCountingStream);
  Invocation inv = Start(bundle, testing::Get("https://w.test/"));
  ASSERT_TRUE(inv.response.body_stream);
  ASSERT_TRUE(Read(*inv.response.body_stream).has_value());
  inv.response.body_stream->Cancel();
  RunUntil([&] { return finished_.has_value(); });
  EXPECT_EQ(finished_->outcome, Outcome::kCanceled);
  EXPECT_EQ(Query(bundle, "/cancelled"), "TypeError: The client disconnected.");
}

TEST_F(StreamTest, DroppingTheBodyCancelsItToo) {
  auto bundle = Compile(kCountingStream);
  {
    Invocation inv = Start(bundle, testing::Get("https://w.test/"));
    ASSERT_TRUE(inv.response.body_stream);
  }  // the consumer lets go without reading
  RunUntil([&] { return finished_.has_value(); });
  EXPECT_EQ(finished_->outcome, Outcome::kCanceled);
  EXPECT_EQ(engine_->in_flight(), 0u);
}

TEST_F(StreamTest, AWorkerErrorMidStreamFailsTheReadAndTheInvocation) {
  auto bundle = Compile(R"(
    export default { fetch() {
      let n = 0;
      return new Response(new ReadableStream({ pull(c) {
        if (n++ === 0) c.enqueue(new Uint8Array([65, 66]));
        else throw new Error('boom mid-stream');
      } }));
    } };)");
  Invocation inv = Start(bundle, testing::Get());
  ASSERT_TRUE(inv.response.body_stream);
  EXPECT_EQ(Read(*inv.response.body_stream)->bytes, "AB");
  auto broken = Read(*inv.response.body_stream);
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code(), ErrorCode::kAborted);
  RunUntil([&] { return finished_.has_value(); });
  EXPECT_EQ(finished_->outcome, Outcome::kException);
  EXPECT_NE(finished_->exception.find("boom mid-stream"), std::string::npos);
}

TEST_F(StreamTest, TheCpuLimitStillAppliesWhileTheBodyStreams) {
  auto bundle = Compile(R"(
    export default { fetch() {
      let n = 0;
      return new Response(new ReadableStream({ async pull(c) {
        if (n++ === 0) { c.enqueue(new Uint8Array([1])); return; }
        await new Promise((resolve) => setTimeout(resolve, 1));  // the first chunk goes out
        for (;;) {}
      } }));
    } };)");
  WorkerConfig config;
  config.cpu_ms = 30;
  Invocation inv = Start(bundle, testing::Get(), config);
  ASSERT_TRUE(inv.response.body_stream);
  EXPECT_TRUE(Read(*inv.response.body_stream).has_value());
  EXPECT_FALSE(Read(*inv.response.body_stream).has_value());
  RunUntil([&] { return finished_.has_value(); });
  EXPECT_EQ(finished_->outcome, Outcome::kExceededCpu);
}

TEST_F(StreamTest, AStreamThatCanNeverProduceFailsInsteadOfHanging) {
  auto bundle = Compile(R"(
    export default { fetch() {
      return new Response(new ReadableStream({ pull() { return new Promise(() => {}); } }));
    } };)");
  Invocation inv = Start(bundle, testing::Get());
  ASSERT_TRUE(inv.response.body_stream);
  EXPECT_FALSE(Read(*inv.response.body_stream).has_value());
  RunUntil([&] { return finished_.has_value(); });
  EXPECT_EQ(finished_->outcome, Outcome::kException);
}

TEST_F(StreamTest, ByteBodiesStayWhole) {
  auto bundle = Compile(R"(
    export default { fetch() { return new Response('plain bytes'); } };)");
  Invocation inv = Start(bundle, testing::Get());
  EXPECT_FALSE(inv.response.body_stream);
  EXPECT_EQ(inv.response.body, "plain bytes");
}

TEST_F(StreamTest, ARequestBodyIsReadOnDemandChunkByChunk) {
  auto bundle = Compile(R"(
    export default { async fetch(request) {
      const reader = request.body.getReader();
      const parts = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(new TextDecoder().decode(value));
      }
      return Response.json(parts);
    } };)");
  auto pipe = NewPipe();
  int demands = 0;
  std::vector<std::string> parts = {"one", "two", "three"};
  std::weak_ptr<BytePipe> weak = pipe;
  pipe->set_hooks({.on_demand = [&, weak] {
    auto p = weak.lock();
    if (demands < 3)
      p->Push(parts[demands]);
    else
      p->Finish();
    ++demands;
  }});
  WorkerRequest request = testing::Get();
  request.method = "POST";
  request.body_stream = pipe;
  pipe.reset();
  Invocation inv = Start(bundle, std::move(request));
  ASSERT_EQ(inv.outcome, Outcome::kOk) << inv.exception;
  EXPECT_EQ(inv.response.body, R"(["one","two","three"])");
  EXPECT_EQ(demands, 4);
}

TEST_F(StreamTest, ABrokenRequestBodyErrorsTheWorkersStream) {
  auto bundle = Compile(R"(
    export default { async fetch(request) {
      try { await request.text(); return new Response('read'); }
      catch (e) { return new Response(e.constructor.name + ': ' + e.message); }
    } };)");
  auto pipe = NewPipe();
  std::weak_ptr<BytePipe> weak = pipe;
  pipe->set_hooks(
      {.on_demand = [weak] { weak.lock()->Fail(ResourceExhausted("request body too large")); }});
  WorkerRequest request = testing::Get();
  request.method = "POST";
  request.body_stream = std::move(pipe);
  Invocation inv = Start(bundle, std::move(request));
  EXPECT_EQ(inv.response.body, "TypeError: request body too large");
}

TEST_F(StreamTest, AnUntouchedRequestBodyPassesStraightThrough) {
  auto bundle = Compile(R"(
    export default { fetch(request) { return new Response(request.body); } };)");
  auto pipe = NewPipe(11);
  ByteSource* raw = pipe.get();
  pipe->Push("hello world");
  pipe->Finish();
  WorkerRequest request = testing::Get();
  request.method = "POST";
  request.body_stream = std::move(pipe);
  Invocation inv = Start(bundle, std::move(request));
  ASSERT_EQ(inv.outcome, Outcome::kOk) << inv.exception;
  ASSERT_EQ(inv.response.body_stream.get(), raw);  // no JS between the two sockets
  EXPECT_EQ(inv.response.body_stream->length(), 11u);
  EXPECT_EQ(ReadAll(*inv.response.body_stream), "hello world");
}

TEST_F(StreamTest, ARequestBodyCannotBeReadFromAnotherRequest) {
  auto bundle = Compile(R"(
    let stolen = null;
    export default { async fetch(request) {
      if (stolen === null) { stolen = request.body; return new Response('kept'); }
      try { await new Response(stolen).text(); return new Response('read'); }
      catch (e) { return new Response(e.message); }
    } };)");
  auto pipe = NewPipe();
  pipe->Push("secret");
  WorkerRequest first = testing::Get();
  first.method = "POST";
  first.body_stream = pipe;
  Invocation kept = Start(bundle, std::move(first));
  EXPECT_EQ(kept.response.body, "kept");
  Invocation other = Start(bundle, testing::Get());
  EXPECT_NE(other.response.body, "read");
  EXPECT_TRUE(pipe->canceled());  // its request ended: the upload is let go
}

// An origin on a thread: on the first connection it sends the head and "first\n" of a chunked
// body, then waits for a second connection (the worker's "I have read it") before it sends
// "second\n" and the end. A fetch that buffered the body would never see the first part.
class GatedOrigin {
 public:
  GatedOrigin() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~GatedOrigin() { thread_.join(); }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  unsigned short port() const { return port_; }

 private:
  using tcp = boost::asio::ip::tcp;
  static void ReadHead(tcp::socket& socket) {
    boost::asio::streambuf head;
    boost::asio::read_until(socket, head, "\r\n\r\n");
  }
  static void Write(tcp::socket& socket, std::string_view bytes) {
    boost::asio::write(socket, boost::asio::buffer(bytes.data(), bytes.size()));
  }
  void Serve() {
    tcp::socket body(io_);
    acceptor_.accept(body);
    ReadHead(body);
    Write(body, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n");
    tcp::socket gate(io_);
    acceptor_.accept(gate);
    ReadHead(gate);
    Write(gate, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    Write(body, "7\r\nsecond\n\r\n0\r\n\r\n");
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  unsigned short port_;
  std::thread thread_;
};

TEST_F(StreamTest, AFetchBodyReachesTheWorkerAsItArrives) {
  GatedOrigin origin;
  auto bundle = Compile(R"(
    export default { async fetch(request) {
      const { body, gate } = await request.json();
      const reader = (await fetch(body)).body.getReader();
      const parts = [];
      const first = await reader.read();
      parts.push(new TextDecoder().decode(first.value));
      await fetch(gate);  // the origin sends the rest only now
      for (let r = await reader.read(); !r.done; r = await reader.read())
        parts.push(new TextDecoder().decode(r.value));
      return Response.json(parts);
    } };)");
  WorkerRequest request = testing::Get();
  request.method = "POST";
  request.body =
      R"({"body":")" + origin.Url("/body") + R"(","gate":")" + origin.Url("/gate") + R"("})";
  Invocation inv = Start(bundle, std::move(request));
  ASSERT_EQ(inv.outcome, Outcome::kOk) << inv.exception;
  EXPECT_EQ(inv.response.body, R"(["first\n","second\n"])");
}

TEST_F(StreamTest, AFetchResponseReturnedAsIsPassesItsBodyThrough) {
  GatedOrigin origin;
  auto bundle = Compile(R"(
    export default { fetch(request) { return fetch(new URL(request.url).searchParams.get('o')); } };)");
  Invocation inv = Start(bundle, testing::Get("https://w.test/?o=" + origin.Url("/body")));
  ASSERT_EQ(inv.outcome, Outcome::kOk) << inv.exception;
  ASSERT_TRUE(inv.response.body_stream);
  EXPECT_EQ(Read(*inv.response.body_stream)->bytes, "first\n");
  // Open the gate from here, as the client would have.
  boost::asio::ip::tcp::socket gate(io_);
  gate.connect({boost::asio::ip::make_address("127.0.0.1"), origin.port()});
  boost::asio::write(gate,
                     boost::asio::buffer(std::string_view("GET / HTTP/1.1\r\nHost: o\r\n\r\n")));
  EXPECT_EQ(ReadAll(*inv.response.body_stream), "second\n");
}

}  // namespace
}  // namespace blaze::engine
