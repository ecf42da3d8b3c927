// HttpRequest and HttpResponse: the plain values the server hands to a Handler and gets back.
// No Asio or Beast types appear here, so the runtime can speak HTTP without the I/O layer.
//
// Header names keep the case they were received (or set) with and their order; lookups are
// case-insensitive. A Body is either bytes buffered whole or a stream (a ByteSource, base/) read
// as it is produced: large or chunked request bodies reach the Handler as streams, and a Handler
// may answer with one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blaze/base/byte_stream.h"
#include "blaze/http/trace.h"

namespace blaze::http {

struct Header {
  std::string name;
  std::string value;
};

// Ordered, duplicates allowed (several Set-Cookie lines stay several lines).
using Headers = std::vector<Header>;

// ASCII case-insensitive equality, the rule for header names and host names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The first header named `name` (case-insensitive), or nullopt. The view points into `headers`.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);

// Bytes buffered whole (the fast path: small bodies, Content-Length known), or a stream.
// A stream body is read through its ByteSource on the core's thread: for a request, the session
// produces it from the connection as the consumer reads (backpressure: nothing is read from the
// socket that was not asked for); for a response, the session pulls it chunk by chunk and writes
// each before asking for the next. Dropping a stream body without reading it cancels it.
class Body {
 public:
  Body() = default;
  explicit Body(std::string text) : text_(std::move(text)) {}
  // A body read from `source` as it is produced. `length`: the total, when known up front (a
  // request's Content-Length; a response's content-length); a response without one is sent
  // chunked, and one that yields more or fewer bytes than its length aborts the connection.
  static Body Stream(std::shared_ptr<ByteSource> source,
                     std::optional<std::uint64_t> length = std::nullopt) {
    Body body;
    body.stream_ = std::move(source);
    body.stream_length_ = length;
    return body;
  }

  bool is_buffered() const { return stream_ == nullptr; }
  // The buffered bytes (none for a stream body).
  std::size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty() && stream_ == nullptr; }
  std::string_view buffered() const { return text_; }
  std::string TakeBuffered() && { return std::move(text_); }
  // The stream (null for a buffered body) and its announced length.
  const std::shared_ptr<ByteSource>& stream() const { return stream_; }
  std::shared_ptr<ByteSource> TakeStream() && { return std::move(stream_); }
  std::optional<std::uint64_t> stream_length() const { return stream_length_; }
  // For the parser: appends received bytes.
  void Append(std::string_view bytes) { text_.append(bytes); }
  void Reserve(std::size_t n) { text_.reserve(n); }

 private:
  std::string text_;
  std::shared_ptr<ByteSource> stream_;
  std::optional<std::uint64_t> stream_length_;
};

struct HttpRequest {
  std::string method;  // as received: "GET", "POST", "PURGE"...
  std::string target;  // request-target as received: path + query ("/a/b?x=1")
  std::string host;    // the Host header as received (may carry a port)
  Headers headers;     // every field, in order, names as received (Host included)
  Body body;  // a stream when large or chunked (see Body); its length is the Content-Length
  std::string remote_address;  // peer IP, "127.0.0.1" or "::1"
  std::uint16_t remote_port = 0;
  TraceId trace_id;  // from a valid traceparent, else freshly random
  int version = 11;  // 10 = HTTP/1.0, 11 = HTTP/1.1

  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

struct HttpResponse {
  // 200-599. The server owns framing: content-length, transfer-encoding, connection,
  // keep-alive and x-trace-id set here are ignored; the server writes its own (a stream body's
  // length goes in Body::Stream).
  int status = 200;
  // The reason phrase; empty: the standard one for `status` (a worker's custom statusText).
  std::string reason;
  Headers headers;
  Body body;

  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

}  // namespace blaze::http
