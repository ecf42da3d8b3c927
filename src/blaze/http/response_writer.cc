#include "blaze/http/response_writer.h"

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <ostream>  // before Boost 1.74's string_view, which uses std::ostream without it

#include "blaze/http/body_framer.h"

namespace blaze::http {
namespace {

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Headers the server writes itself; a handler's copy would corrupt the framing.
bool IsServerOwned(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
         EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "keep-alive") ||
         EqualsIgnoreCase(name, "x-trace-id");
}

void AppendNumber(std::string& out, std::uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

void AppendLine(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

bool SendsBody(int status, const ResponseFraming& framing) {
  return !framing.head_request && status != 204 && status != 304;
}

Status AppendResponseHead(const HttpResponse& response, const ResponseFraming& framing,
                          const TraceId& trace_id, std::string_view date, std::string& out) {
  int status = response.status;
  if (status < 200 || status > 599) return Fail(InvalidArgument("response status out of range"));
  auto reason = boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(status));
  out.append(framing.request_version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(out, static_cast<std::uint64_t>(status));
  out.push_back(' ');
  if (!response.reason.empty()) {
    if (!IsValidValue(response.reason)) return Fail(InvalidArgument("invalid reason phrase"));
    out.append(response.reason);
  } else if (reason != "<unknown-status>") {
    out.append(reason.data(), reason.size());
  }
  out.append("\r\n");
  bool has_date = false;
  for (const Header& h : response.headers) {
    if (!IsValidName(h.name) || !IsValidValue(h.value)) {
      return Fail(InvalidArgument("invalid response header"));
    }
    if (IsServerOwned(h.name)) continue;
    has_date = has_date || EqualsIgnoreCase(h.name, "date");
    AppendLine(out, h.name, h.value);
  }
  if (!has_date) AppendLine(out, "date", date);
  AppendLine(out, "x-trace-id", trace_id.view());
  if (status != 204 && status != 304) {
    std::optional<std::uint64_t> length = response.body.size();
    if (!response.body.is_buffered()) length = response.body.stream_length();
    switch (BodyFramer::For(length, framing.request_version).mode()) {
      case BodyFramer::Mode::kLength:
        out.append("content-length: ");
        AppendNumber(out, *length);
        out.append("\r\n");
        break;
      case BodyFramer::Mode::kChunked:
        out.append("transfer-encoding: chunked\r\n");
        break;
      case BodyFramer::Mode::kUntilClose:
        break;  // HTTP/1.0: the body ends with the connection (keep_alive is false)
    }
  }
  if (!framing.keep_alive) {
    out.append("connection: close\r\n");
  } else if (framing.request_version == 10) {
    out.append("connection: keep-alive\r\n");
  }
  out.append("\r\n");
  return Ok();
}

std::string_view DateCache::Now() {
  std::time_t now = std::time(nullptr);
  if (now != second_) {
    second_ = now;
    std::tm parts{};
    gmtime_r(&now, &parts);
    size_ = std::strftime(text_, sizeof text_, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  }
  return {text_, size_};
}

}  // namespace blaze::http
