// Streamed bodies over real sockets: chunked responses that reach the client chunk by chunk,
// backpressure (a client that does not read stops the producer), aborts that never look like a
// complete body, cancellation when the client leaves, and request bodies handed to the handler
// while they are still arriving.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "blaze/http/server.h"
#include "blaze/http/test_support.h"

namespace blaze::http {
namespace {

using namespace testing;
using std::chrono::milliseconds;

// What the handler (core thread) and the test (test thread) share.
struct Shared {
  std::atomic<boost::asio::io_context*> io{nullptr};
  std::mutex mu;
  std::condition_variable changed;
  std::shared_ptr<BytePipe> pipe;  // a response body the test feeds
  std::uint64_t produced = 0;      // bytes an on-demand producer made
  bool canceled = false;
  bool handled = false;
  std::string note;  // whatever the handler wants to tell the test

  Post post() {
    auto* core = io.load();
    return [core](std::function<void()> task) { boost::asio::post(*core, std::move(task)); };
  }
  void Update(const std::function<void()>& fn) {
    {
      std::lock_guard lock(mu);
      fn();
    }
    changed.notify_all();
  }
  // Waits (bounded) until `pred` holds.
  bool WaitFor(const std::function<bool()>& pred, milliseconds timeout = milliseconds(5000)) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, timeout, pred);
  }
};

std::unique_ptr<Server> Start(std::shared_ptr<Shared> shared, HandleFn fn,
                              ServerLimits limits = {}) {
  auto options = LoopbackOptions();
  options.limits = limits;
  auto server = StartServer(options, std::move(fn));
  EXPECT_TRUE(server.has_value()) << server.error().ToString();
  if (!server) return nullptr;
  shared->io = &(*server)->io_context(0);
  return std::move(*server);
}

// Runs `fn` on the core's thread and waits for it.
void OnCore(Shared& shared, std::function<void()> fn) {
  std::promise<void> done;
  boost::asio::post(*shared.io.load(), [&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

HttpResponse StreamResponse(std::shared_ptr<ByteSource> source,
                            std::optional<std::uint64_t> length = std::nullopt) {
  HttpResponse r;
  r.body = Body::Stream(std::move(source), length);
  return r;
}

// An endless body made on demand, 64 KiB per Read, counting what it made.
std::shared_ptr<BytePipe> EndlessBody(std::shared_ptr<Shared> shared) {
  auto pipe = std::make_shared<BytePipe>(shared->post());
  std::weak_ptr<BytePipe> weak = pipe;
  pipe->set_hooks({.on_demand =
                       [shared, weak] {
                         if (auto p = weak.lock()) p->Push(std::string(64 * 1024, 'x'));
                         shared->Update([&] { shared->produced += 64 * 1024; });
                       },
                   .on_cancel = [shared] { shared->Update([&] { shared->canceled = true; }); }});
  return pipe;
}

// Reads `source` to its end on the core thread; `done` gets the bytes or the error.
void ReadAll(std::shared_ptr<ByteSource> source, std::function<void(Result<std::string>)> done) {
  auto text = std::make_shared<std::string>();
  auto step = std::make_shared<std::function<void()>>();
  *step = [source, text, done, step] {
    source->Read(64 * 1024, [source, text, done, step](Result<ByteChunk> chunk) {
      if (!chunk) {
        done(Fail(chunk.error()));
        *step = nullptr;  // break the cycle
        return;
      }
      text->append(chunk->bytes);
      if (chunk->end) {
        done(std::move(*text));
        *step = nullptr;
        return;
      }
      (*step)();
    });
  };
  (*step)();
}

TEST(ServerStream, ChunksReachTheClientBeforeTheStreamEnds) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest request, Respond respond) {
    if (request.target == "/plain") return respond(HttpResponse{200, "", {}, Body("plain")});
    auto pipe = std::make_shared<BytePipe>(shared->post());
    pipe->Push("hello");
    shared->pipe = pipe;
    respond(StreamResponse(pipe));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/stream")).has_value());
  auto first = c.ReadUntil("hello\r\n");
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_NE(first->find("transfer-encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(first->find("content-length"), std::string::npos);
  EXPECT_NE(first->find("\r\n\r\n5\r\nhello\r\n"), std::string::npos);
  // Only now is the rest produced.
  OnCore(*shared, [&] {
    shared->pipe->Push("world!");
    shared->pipe->Finish();
  });
  auto rest = c.ReadUntil("0\r\n\r\n");
  ASSERT_TRUE(rest.has_value()) << rest.error().ToString();
  EXPECT_EQ(*rest, "6\r\nworld!\r\n0\r\n\r\n");
  // The connection is reusable after a streamed response.
  ASSERT_TRUE(c.Send(GetRequest("/plain")).has_value());
  auto plain = c.ReadResponse();
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->body, "plain");
}

TEST(ServerStream, AKnownLengthIsSentAsContentLength) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest, Respond respond) {
    auto pipe = std::make_shared<BytePipe>(shared->post());
    pipe->Push("01234");
    pipe->Push("56789");
    pipe->Finish();
    respond(StreamResponse(pipe, 10));
  });
  auto r = FetchOnce(server->port(), "/");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->header("content-length"), "10");
  EXPECT_FALSE(r->header("transfer-encoding").has_value());
  EXPECT_EQ(r->body, "0123456789");
}

TEST(ServerStream, AStreamShorterThanItsLengthAbortsTheConnection) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest, Respond respond) {
    auto pipe = std::make_shared<BytePipe>(shared->post());
    pipe->Push("abc");
    pipe->Finish();
    respond(StreamResponse(pipe, 10));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  auto all = c.ReadUntilClose();
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  EXPECT_NE(all->find("content-length: 10\r\n"), std::string::npos);
  EXPECT_LT(all->size() - all->find("\r\n\r\n") - 4, 10u);  // the client can tell it is cut
}

TEST(ServerStream, ASourceErrorAbortsWithoutTheLastChunk) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest, Respond respond) {
    auto pipe = std::make_shared<BytePipe>(shared->post());
    pipe->Push("abc");
    shared->pipe = pipe;
    respond(StreamResponse(pipe));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  ASSERT_TRUE(c.ReadUntil("3\r\nabc\r\n").has_value());
  OnCore(*shared, [&] { shared->pipe->Fail(Aborted("the worker threw")); });
  auto rest = c.ReadUntilClose();
  ASSERT_TRUE(rest.has_value()) << rest.error().ToString();
  EXPECT_EQ(rest->find("0\r\n\r\n"), std::string::npos);
}

TEST(ServerStream, AClientThatDoesNotReadStopsTheProducer) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest, Respond respond) {
    respond(StreamResponse(EndlessBody(shared)));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  // Wait until production stalls: no new chunk for 300 ms once the socket buffers are full.
  std::uint64_t seen = 0;
  for (int i = 0; i < 200; ++i) {
    bool moved = shared->WaitFor([&] { return shared->produced != seen; }, milliseconds(300));
    if (!moved) break;
    std::lock_guard lock(shared->mu);
    seen = shared->produced;
  }
  EXPECT_GT(seen, 0u);
  EXPECT_LT(seen, 64u << 20) << "the producer kept going while nobody read";
  // Reading lets it go on.
  ASSERT_TRUE(c.ReadUntil(std::string(4096, 'x')).has_value());
  std::string drained;
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(c.ReadUntil(std::string(64 * 1024, 'x')).has_value());
  EXPECT_TRUE(shared->WaitFor([&] { return shared->produced > seen; }));
}

TEST(ServerStream, AClientThatLeavesCancelsTheSource) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest, Respond respond) {
    respond(StreamResponse(EndlessBody(shared)));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  ASSERT_TRUE(c.ReadUntil(std::string(1024, 'x')).has_value());
  c.Close();
  EXPECT_TRUE(shared->WaitFor([&] { return shared->canceled; }));
}

TEST(ServerStream, HeadCancelsTheStreamAndKeepsTheConnection) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest request, Respond respond) {
    if (request.method == "GET") return respond(HttpResponse{200, "", {}, Body("after")});
    auto pipe = std::make_shared<BytePipe>(shared->post());
    pipe->set_hooks({.on_cancel = [shared] { shared->Update([&] { shared->canceled = true; }); }});
    respond(StreamResponse(pipe));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n").has_value());
  auto head = c.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(head.has_value());
  EXPECT_NE(head->find("transfer-encoding: chunked"), std::string::npos);
  EXPECT_TRUE(shared->WaitFor([&] { return shared->canceled; }));
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  EXPECT_EQ(c.ReadResponse().value().body, "after");
}

TEST(ServerStream, SmallBodiesStayBuffered) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest request, Respond respond) {
    respond(HttpResponse{200, "", {}, Body(request.body.is_buffered() ? "buffered" : "stream")});
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello").has_value());
  EXPECT_EQ(c.ReadResponse().value().body, "buffered");
}

TEST(ServerStream, ALargeBodyReachesTheHandlerWhileItIsStillArriving) {
  constexpr std::size_t kSize = 200'000;
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest request, Respond respond) {
    shared->Update([&] {
      shared->handled = true;
      shared->note = request.body.is_buffered() ? "buffered" : "stream";
      if (request.body.stream_length())
        shared->note += std::to_string(*request.body.stream_length());
    });
    if (request.body.is_buffered())
      return respond(HttpResponse{200, "", {}, Body(std::to_string(request.body.size()))});
    ReadAll(std::move(request.body).TakeStream(), [respond](Result<std::string> all) {
      respond(HttpResponse{200, "", {}, Body(all ? std::to_string(all->size()) : "error")});
    });
  });
  auto c = TestConnection::Connect(server->port()).value();
  std::string body(kSize, 'b');
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(kSize) +
                     "\r\n\r\n" + body.substr(0, 1000))
                  .has_value());
  ASSERT_TRUE(shared->WaitFor([&] { return shared->handled; }));
  EXPECT_EQ(shared->note, "stream200000");
  ASSERT_TRUE(c.Send(std::string_view(body).substr(1000)).has_value());
  auto r = c.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->body, "200000");
  // The body was read to its end, so the connection serves the next request.
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok").has_value());
  EXPECT_EQ(c.ReadResponse().value().body, "2");
}

TEST(ServerStream, AChunkedUploadPastTheLimitErrorsTheStream) {
  ServerLimits limits;
  limits.max_body_bytes = 1000;
  auto shared = std::make_shared<Shared>();
  auto server = Start(
      shared,
      [shared](HttpRequest request, Respond respond) {
        shared->Update([&] { shared->handled = true; });
        ReadAll(std::move(request.body).TakeStream(), [respond](Result<std::string> all) {
          std::string text = all ? "read " + std::to_string(all->size())
                                 : std::string(InfoFor(all.error().code()).name);
          respond(HttpResponse{200, "", {}, Body(text)});
        });
      },
      limits);
  auto c = TestConnection::Connect(server->port()).value();
  std::string chunk = "200\r\n" + std::string(512, 'c') + "\r\n";
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk)
                  .has_value());
  // Under the limit so far: the handler runs; past it later, the stream it reads errors.
  ASSERT_TRUE(shared->WaitFor([&] { return shared->handled; }));
  ASSERT_TRUE(c.Send(chunk + chunk).has_value());
  auto r = c.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->body, "ResourceExhausted");
  EXPECT_TRUE(c.WaitForClose());  // the rest of that body cannot be skipped
}

TEST(ServerStream, EchoingTheRequestStreamSendsItBackWhileItArrives) {
  constexpr std::size_t kSize = 4u << 20;
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [](HttpRequest request, Respond respond) {
    auto length = request.body.stream_length();
    respond(StreamResponse(std::move(request.body).TakeStream(), length));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(kSize) + "\r\n\r\n")
          .has_value());
  std::string body(kSize, '\0');
  for (std::size_t i = 0; i < kSize; ++i) body[i] = static_cast<char>('a' + i % 26);
  // Both directions at once: a client that first sends everything would fill both buffers.
  auto sender = std::async(std::launch::async, [&] { return c.Send(body); });
  auto r = c.ReadResponse(milliseconds(20000));
  ASSERT_TRUE(sender.get().has_value());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->header("content-length"), std::to_string(kSize));
  EXPECT_TRUE(r->body == body);
}

TEST(ServerStream, AStreamedBodyWaitingFor100ContinueGetsItBeforeTheResponse) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [](HttpRequest request, Respond respond) {
    auto length = request.body.stream_length();
    respond(StreamResponse(std::move(request.body).TakeStream(), length));  // echo
  });
  auto c = TestConnection::Connect(server->port()).value();
  std::string body(100'000, 'e');
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Content-Length: 100000\r\n\r\n")
                  .has_value());
  auto interim = c.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim.has_value()) << interim.error().ToString();
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send(body).has_value());
  auto r = c.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body == body);
}

TEST(ServerStream, AnHttp10ClientGetsTheStreamDelimitedByTheClose) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [shared](HttpRequest, Respond respond) {
    auto pipe = std::make_shared<BytePipe>(shared->post());
    pipe->Push("old ");
    pipe->Push("client");
    pipe->Finish();
    respond(StreamResponse(pipe));
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").has_value());
  auto all = c.ReadUntilClose();
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  EXPECT_EQ(all->find("transfer-encoding"), std::string::npos);
  EXPECT_EQ(all->find("content-length"), std::string::npos);
  EXPECT_NE(all->find("connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(all->ends_with("\r\n\r\nold client"));
}

TEST(ServerStream, AnsweringWithoutReadingTheBodyClosesTheConnection) {
  auto shared = std::make_shared<Shared>();
  auto server = Start(shared, [](HttpRequest, Respond respond) {
    respond(HttpResponse{200, "", {}, Body("early")});
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n" + std::string(10, 'z'))
          .has_value());
  auto r = c.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->body, "early");
  EXPECT_TRUE(c.WaitForClose());
}

}  // namespace
}  // namespace blaze::http
