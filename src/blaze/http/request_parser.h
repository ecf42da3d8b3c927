// RequestParser: turns bytes into one HttpRequest, enforcing the header and body limits. Beast's
// incremental HTTP/1.1 parser underneath, writing straight into HttpRequest (no intermediate
// field table); a streamed body's bytes go to a sink instead (StreamBodyTo). Internal to the
// server; one instance per request, owned by the Session.
//
// Errors come back as Beast error codes from put(); StatusForParseError maps them to the status
// the client gets: header_limit → 431, body_limit → 413, anything else → 400.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <optional>

#include "blaze/http/limits.h"
#include "blaze/http/message.h"

namespace blaze::http {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(const ServerLimits& limits);

  // Use instead of put(): Beast's header_limit only bounds the bytes not yet consumed, and
  // complete fields are consumed as they arrive, so a header trickled in pieces could grow
  // without bound. Feed keeps the limit on the whole header.
  std::size_t Feed(boost::asio::const_buffer bytes, boost::beast::error_code& ec);

  HttpRequest& request() { return request_; }
  // From now on body bytes are appended to `*sink` (the session hands them to a streamed body)
  // instead of request().body; what the body already holds is moved there first.
  void StreamBodyTo(std::string* sink);
  // The client sent `Expect: 100-continue` and waits for a go-ahead before sending the body.
  bool expects_continue() const { return expects_continue_; }
  // The trace-id from a valid traceparent header, if there was one.
  const std::optional<TraceId>& incoming_trace_id() const { return trace_id_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  std::uint32_t max_header_bytes_;
  std::uint32_t header_bytes_seen_ = 0;
  HttpRequest request_;
  std::string* body_sink_ = nullptr;  // set once the body is streamed
  std::optional<TraceId> trace_id_;
  bool saw_host_ = false;
  bool saw_traceparent_ = false;
  bool expects_continue_ = false;
};

// The status for a failed put(): 431, 413 or 400.
int StatusForParseError(const boost::beast::error_code& ec);
// The short message for the JSON error body of that status.
const char* MessageForParseError(const boost::beast::error_code& ec);

}  // namespace blaze::http
