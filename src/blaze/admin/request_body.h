// ReadBody: a request body as one string, buffered or streamed (bodies over 64 KiB reach the
// handler as a ByteSource), refused past `limit` bytes with ResourceExhausted — up front from
// the Content-Length, else as soon as the stream passes it (the rest is not read).
// Runs on the core thread; `done` is called once, on it, never inside ReadBody.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "blaze/base/result.h"
#include "blaze/http/message.h"

namespace blaze::admin {

using BodyCallback = std::function<void(Result<std::string>)>;

// `post` runs a task later on the core thread (for the buffered case, so `done` is never
// called inside ReadBody).
void ReadBody(http::Body body, std::size_t limit, const Post& post, BodyCallback done);

}  // namespace blaze::admin
