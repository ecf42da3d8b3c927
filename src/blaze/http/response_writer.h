// Serializes a response head (status line + header block) into a reused buffer. The server owns
// framing: it writes content-length (or transfer-encoding: chunked for a stream body of unknown
// length, see body_framer.h), connection and x-trace-id itself and drops those set by the
// handler. Internal to the server; called on the core's thread.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "blaze/base/result.h"
#include "blaze/http/message.h"
#include "blaze/http/trace.h"

namespace blaze::http {

struct ResponseFraming {
  int request_version = 11;   // 10 or 11
  bool keep_alive = true;     // false adds "connection: close"
  bool head_request = false;  // HEAD: content-length of the body, but no body bytes
};

// True when the body bytes are sent: not for HEAD, 204 or 304.
bool SendsBody(int status, const ResponseFraming& framing);

// Appends the head to `out` (not cleared). InvalidArgument if the status is outside 200-599 or
// a header name is not an HTTP token or a value contains CR, LF or NUL; `out` is then unusable
// and the caller answers 500 instead. `date` is used unless the handler set its own.
Status AppendResponseHead(const HttpResponse& response, const ResponseFraming& framing,
                          const TraceId& trace_id, std::string_view date, std::string& out);

// The IMF-fixdate for the Date header, reformatted at most once a second. One per core.
class DateCache {
 public:
  std::string_view Now();

 private:
  std::time_t second_ = -1;
  char text_[40] = {};
  std::size_t size_ = 0;
};

}  // namespace blaze::http
