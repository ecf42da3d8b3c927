// BodyFramer: how a streamed response body goes on the wire, chunk by chunk, and the bookkeeping
// that keeps a broken stream from looking complete to the client.
//
//   - a known length (the handler's, or the source's): `content-length: N`, raw bytes, and the
//     count is checked: more than N, or the end before N, is an error (the session then aborts
//     the connection instead of sending a short or overlong body);
//   - no length, HTTP/1.1: `transfer-encoding: chunked`; each chunk "<hex size>\r\n...\r\n", the
//     end "0\r\n\r\n" — written only when the stream really ended;
//   - no length, HTTP/1.0: raw bytes, the body ends when the connection closes.
// Internal to the server; one per streamed response, owned by the Session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "blaze/base/result.h"

namespace blaze::http {

class BodyFramer {
 public:
  enum class Mode { kLength, kChunked, kUntilClose };

  static BodyFramer For(std::optional<std::uint64_t> length, int request_version);

  Mode mode() const { return mode_; }
  std::optional<std::uint64_t> length() const { return length_; }
  std::uint64_t sent() const { return sent_; }

  // Appends the wire bytes that go before and after a chunk of `size` (> 0) bytes. Aborted when
  // the chunk would take the body past its declared length.
  Status Frame(std::size_t size, std::string& before, std::string& after);
  // Appends the end of the body to `after` (the last chunk, when chunked). Aborted when fewer
  // bytes than declared were sent.
  Status Finish(std::string& after);

 private:
  BodyFramer(Mode mode, std::optional<std::uint64_t> length) : mode_(mode), length_(length) {}

  Mode mode_;
  std::optional<std::uint64_t> length_;
  std::uint64_t sent_ = 0;
};

}  // namespace blaze::http
