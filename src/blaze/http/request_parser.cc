#include "blaze/http/request_parser.h"

#include <algorithm>

namespace blaze::http {

namespace bhttp = boost::beast::http;

namespace {
// A client may announce a huge Content-Length and send nothing; grow on data, not on promises.
constexpr std::uint64_t kMaxBodyReserve = 64 * 1024;
}  // namespace

RequestParser::RequestParser(const ServerLimits& limits)
    : max_header_bytes_(limits.max_header_bytes) {
  header_limit(limits.max_header_bytes);
  body_limit(limits.max_body_bytes);
  eager(true);  // parse the body in the same put() that completes the header
}

std::size_t RequestParser::Feed(boost::asio::const_buffer bytes, error_code& ec) {
  bool in_header = !is_header_done();
  if (in_header) header_limit(max_header_bytes_ - header_bytes_seen_);
  std::size_t used = put(bytes, ec);
  if (in_header && !is_header_done()) header_bytes_seen_ += static_cast<std::uint32_t>(used);
  return used;
}

void RequestParser::on_request_impl(bhttp::verb, string_view method_str, string_view target,
                                    int version, error_code& ec) {
  if (version != 10 && version != 11) {
    ec = bhttp::error::bad_version;
    return;
  }
  request_.method.assign(method_str.data(), method_str.size());
  request_.target.assign(target.data(), target.size());
  request_.version = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  ec = bhttp::error::bad_method;  // unreachable: this is a request parser
}

void RequestParser::on_field_impl(bhttp::field name, string_view name_string, string_view value,
                                  error_code& ec) {
  std::string_view n(name_string.data(), name_string.size());
  std::string_view v(value.data(), value.size());
  if (name == bhttp::field::host) {
    if (saw_host_) {  // RFC 9112 §3.2: more than one Host is a 400
      ec = bhttp::error::bad_field;
      return;
    }
    saw_host_ = true;
    request_.host.assign(v);
  } else if (name == bhttp::field::expect) {
    expects_continue_ = EqualsIgnoreCase(v, "100-continue");
  } else if (!saw_traceparent_ && EqualsIgnoreCase(n, "traceparent")) {
    saw_traceparent_ = true;  // only the first one counts
    trace_id_ = ParseTraceparent(v);
  }
  request_.headers.push_back(Header{std::string(n), std::string(v)});
}

void RequestParser::on_header_impl(error_code& ec) {
  if (request_.version == 11 && !saw_host_) ec = bhttp::error::bad_field;  // RFC 9112 §3.2
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  if (content_length) request_.body.Reserve(std::min(*content_length, kMaxBodyReserve));
}

void RequestParser::StreamBodyTo(std::string* sink) {
  body_sink_ = sink;
  sink->append(request_.body.buffered());
  request_.body = Body();
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  if (body_sink_) {
    body_sink_->append(body.data(), body.size());
  } else {
    request_.body.Append(std::string_view(body.data(), body.size()));
  }
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) {
  return on_body_impl(body, ec);
}

void RequestParser::on_finish_impl(error_code&) {}

int StatusForParseError(const boost::beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  return 400;
}

const char* MessageForParseError(const boost::beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return "request header too large";
  if (ec == bhttp::error::body_limit) return "request body too large";
  return "malformed HTTP request";
}

}  // namespace blaze::http
