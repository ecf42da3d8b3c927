#include "blaze/http/request_parser.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>

namespace blaze::http {
namespace {

struct Parsed {
  boost::beast::error_code ec;
  bool done = false;
};

// Feeds the whole input in one put() (the parser is eager, so the body follows the header).
Parsed Feed(RequestParser& parser, std::string_view bytes) {
  Parsed out;
  std::size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    std::size_t n =
        parser.Feed(boost::asio::buffer(bytes.data() + used, bytes.size() - used), out.ec);
    used += n;
    if (out.ec || n == 0) break;
  }
  out.done = parser.is_done();
  return out;
}

TEST(RequestParser, FillsTheRequestWithHeadersInOrderAndNamesAsReceived) {
  RequestParser parser{ServerLimits{}};
  auto r = Feed(parser,
                "POST /a/b?x=1 HTTP/1.1\r\nHost: w.localhost:8787\r\nX-Custom: one\r\n"
                "x-custom: two\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_FALSE(r.ec) << r.ec.message();
  ASSERT_TRUE(r.done);
  HttpRequest& req = parser.request();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/a/b?x=1");
  EXPECT_EQ(req.host, "w.localhost:8787");
  ASSERT_EQ(req.headers.size(), 4u);
  EXPECT_EQ(req.headers[1].name, "X-Custom");
  EXPECT_EQ(req.headers[2].name, "x-custom");
  EXPECT_EQ(req.headers[2].value, "two");
  EXPECT_EQ(req.header("X-CUSTOM"), "one");
  EXPECT_EQ(req.body.buffered(), "abc");
  EXPECT_TRUE(parser.keep_alive());
}

TEST(RequestParser, AssemblesAChunkedBody) {
  RequestParser parser{ServerLimits{}};
  auto r = Feed(parser,
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(parser.request().body.buffered(), "abcde");
}

TEST(RequestParser, MapsLimitsAndSyntaxErrorsToStatuses) {
  ServerLimits limits;
  limits.max_header_bytes = 128;
  limits.max_body_bytes = 4;
  {
    RequestParser parser{limits};
    auto r = Feed(parser, "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(200, 'a') + "\r\n\r\n");
    EXPECT_EQ(StatusForParseError(r.ec), 431) << r.ec.message();
  }
  {
    RequestParser parser{limits};
    auto r = Feed(parser, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n");
    EXPECT_EQ(StatusForParseError(r.ec), 413) << r.ec.message();
  }
  {
    RequestParser parser{limits};
    auto r = Feed(parser,
                  "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n123456789");
    EXPECT_EQ(StatusForParseError(r.ec), 413) << r.ec.message();
  }
  for (std::string_view garbage : {"HELLO\r\n\r\n", "GET / HTTP/9.9\r\nHost: h\r\n\r\n",
                                   "GET / HTTP/1.1\r\n\r\n",  // no Host
                                   "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                                   "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n"}) {
    RequestParser parser{limits};
    auto r = Feed(parser, garbage);
    ASSERT_TRUE(r.ec) << garbage;
    EXPECT_EQ(StatusForParseError(r.ec), 400) << garbage;
  }
}

TEST(RequestParser, HeaderLimitCoversTheWholeHeaderEvenWhenItArrivesInPieces) {
  ServerLimits limits;
  limits.max_header_bytes = 1024;
  RequestParser parser{limits};
  std::string header = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 40; ++i)
    header += "X-Field-" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
  header += "\r\n";
  // Feed 100 bytes at a time, keeping unconsumed bytes, as the session's buffer does.
  std::string pending;
  boost::beast::error_code ec;
  for (std::size_t at = 0; at < header.size() && !ec; at += 100) {
    pending += header.substr(at, 100);
    std::size_t used = parser.Feed(boost::asio::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == boost::beast::http::error::need_more) ec = {};
  }
  EXPECT_EQ(StatusForParseError(ec), 431) << ec.message();
}

TEST(RequestParser, Http10WithoutHostIsAccepted) {
  RequestParser parser{ServerLimits{}};
  auto r = Feed(parser, "GET / HTTP/1.0\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(parser.request().version, 10);
  EXPECT_FALSE(parser.keep_alive());
}

TEST(RequestParser, TakesTheTraceIdFromTheFirstTraceparent) {
  RequestParser parser{ServerLimits{}};
  Feed(parser,
       "GET / HTTP/1.1\r\nHost: h\r\n"
       "TraceParent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
       "traceparent: 00-11111111111111111111111111111111-00f067aa0ba902b7-01\r\n\r\n");
  ASSERT_TRUE(parser.incoming_trace_id().has_value());
  EXPECT_EQ(parser.incoming_trace_id()->view(), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(RequestParser, NotesExpectContinue) {
  RequestParser parser{ServerLimits{}};
  Feed(parser, "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_TRUE(parser.is_header_done());
  EXPECT_FALSE(parser.is_done());
  EXPECT_TRUE(parser.expects_continue());
}

}  // namespace
}  // namespace blaze::http
