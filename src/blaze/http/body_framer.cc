#include "blaze/http/body_framer.h"

#include <charconv>

namespace blaze::http {

BodyFramer BodyFramer::For(std::optional<std::uint64_t> length, int request_version) {
  if (length) return BodyFramer(Mode::kLength, length);
  return BodyFramer(request_version == 10 ? Mode::kUntilClose : Mode::kChunked, std::nullopt);
}

Status BodyFramer::Frame(std::size_t size, std::string& before, std::string& after) {
  if (mode_ == Mode::kLength && sent_ + size > *length_) {
    return Fail(Aborted("the response body is longer than its content-length"));
  }
  sent_ += size;
  if (mode_ == Mode::kChunked) {
    char hex[20];
    auto [end, ec] = std::to_chars(hex, hex + sizeof hex, static_cast<std::uint64_t>(size), 16);
    before.append(hex, end);
    before.append("\r\n");
    after.append("\r\n");
  }
  return Ok();
}

Status BodyFramer::Finish(std::string& after) {
  if (mode_ == Mode::kLength && sent_ != *length_) {
    return Fail(Aborted("the response body is shorter than its content-length"));
  }
  if (mode_ == Mode::kChunked) after.append("0\r\n\r\n");
  return Ok();
}

}  // namespace blaze::http
