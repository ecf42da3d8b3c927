// ServerLimits: the per-connection limits every core enforces. Plain values, copied into each
// core at start; the defaults are the production ones, tests shrink the timeouts.
#pragma once

#include <chrono>
#include <cstdint>

namespace blaze::http {

struct ServerLimits {
  // Request line + header fields. Exceeding it answers 431 and closes.
  std::uint32_t max_header_bytes = 64 * 1024;
  // Request body (Content-Length or the sum of chunks). Exceeding it answers 413 and closes.
  std::uint64_t max_body_bytes = 100 * 1024 * 1024;
  // From a request's first byte (or from accept, for a connection's first request) until its
  // header is complete. Slowloris defence: on expiry the connection is closed without a reply.
  std::chrono::milliseconds header_timeout{10'000};
  // A keep-alive connection waiting for its next request, a body read making no progress, or a
  // response write the client does not read, is closed after this long.
  std::chrono::milliseconds idle_timeout{60'000};
  // After a closing response (error, Connection: close, draining) the server stops sending and
  // discards input for at most this long, so the client reads the reply instead of a reset.
  std::chrono::milliseconds linger_timeout{2'000};
  // Graceful stop: in-flight requests get this long to finish before connections are cut.
  std::chrono::milliseconds drain_timeout{30'000};
};

}  // namespace blaze::http
