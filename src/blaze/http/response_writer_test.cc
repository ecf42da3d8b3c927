#include "blaze/http/response_writer.h"

#include <gtest/gtest.h>

namespace blaze::http {
namespace {

const TraceId kTrace = TraceId::FromBits(1, 2);
constexpr std::string_view kDate = "Wed, 01 Jan 2025 00:00:00 GMT";

std::string Head(const HttpResponse& r, ResponseFraming framing = {}) {
  std::string out;
  auto s = AppendResponseHead(r, framing, kTrace, kDate, out);
  EXPECT_TRUE(s.has_value());
  return out;
}

TEST(ResponseWriter, WritesStatusHeadersInOrderAndFraming) {
  HttpResponse r;
  r.headers = {{"Content-Type", "text/plain"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
  r.body = Body("hello");
  EXPECT_EQ(Head(r),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain\r\n"
            "Set-Cookie: a=1\r\n"
            "Set-Cookie: b=2\r\n"
            "date: Wed, 01 Jan 2025 00:00:00 GMT\r\n"
            "x-trace-id: 00000000000000010000000000000002\r\n"
            "content-length: 5\r\n"
            "\r\n");
}

TEST(ResponseWriter, ACustomReasonPhraseReplacesTheStandardOne) {
  HttpResponse r;
  r.status = 418;
  r.reason = "I Am A Teapot";
  EXPECT_EQ(Head(r).substr(0, 28), "HTTP/1.1 418 I Am A Teapot\r\n");
  r.reason = "bad\r\nX-Injected: 1";
  std::string out;
  EXPECT_FALSE(AppendResponseHead(r, {}, kTrace, kDate, out).has_value());
}

TEST(ResponseWriter, IgnoresFramingHeadersTheHandlerSet) {
  HttpResponse r;
  r.status = 404;
  r.headers = {{"Content-Length", "999"},
               {"Transfer-Encoding", "chunked"},
               {"Connection", "upgrade"},
               {"X-Trace-Id", "spoofed"},
               {"Date", "mine"}};
  EXPECT_EQ(Head(r, {.keep_alive = false}),
            "HTTP/1.1 404 Not Found\r\n"
            "Date: mine\r\n"
            "x-trace-id: 00000000000000010000000000000002\r\n"
            "content-length: 0\r\n"
            "connection: close\r\n"
            "\r\n");
}

TEST(ResponseWriter, NoContentAndNotModifiedHaveNoLengthOrBody) {
  HttpResponse r;
  r.status = 204;
  EXPECT_EQ(Head(r).find("content-length"), std::string::npos);
  EXPECT_FALSE(SendsBody(204, {}));
  EXPECT_FALSE(SendsBody(304, {}));
  EXPECT_FALSE(SendsBody(200, {.head_request = true}));
  EXPECT_TRUE(SendsBody(200, {}));
}

TEST(ResponseWriter, Http10KeepAliveIsExplicit) {
  HttpResponse r;
  std::string head = Head(r, {.request_version = 10, .keep_alive = true});
  EXPECT_TRUE(head.starts_with("HTTP/1.0 200 OK\r\n"));
  EXPECT_NE(head.find("connection: keep-alive\r\n"), std::string::npos);
}

TEST(ResponseWriter, RejectsHeaderInjectionAndBadStatuses) {
  std::string out;
  HttpResponse injected;
  injected.headers = {{"X-A", "ok\r\nSet-Cookie: evil=1"}};
  EXPECT_FALSE(AppendResponseHead(injected, {}, kTrace, kDate, out).has_value());
  HttpResponse bad_name;
  bad_name.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(AppendResponseHead(bad_name, {}, kTrace, kDate, out).has_value());
  HttpResponse bad_status;
  bad_status.status = 99;
  EXPECT_FALSE(AppendResponseHead(bad_status, {}, kTrace, kDate, out).has_value());
}

TEST(ResponseWriter, UnknownStatusesGetAnEmptyReason) {
  HttpResponse r;
  r.status = 299;
  EXPECT_TRUE(Head(r).starts_with("HTTP/1.1 299 \r\n"));
}

TEST(DateCache, FormatsAnImfFixdate) {
  DateCache cache;
  std::string_view date = cache.Now();
  ASSERT_EQ(date.size(), 29u) << date;
  EXPECT_TRUE(date.ends_with(" GMT"));
}

}  // namespace
}  // namespace blaze::http
