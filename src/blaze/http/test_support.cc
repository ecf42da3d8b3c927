#include "blaze/http/test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace blaze::http::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

int MillisLeft(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses "HTTP/1.1 200 OK\r\nname: value\r\n..." (without the final blank line).
Result<ClientResponse> ParseHead(std::string_view head) {
  ClientResponse r;
  auto eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) {
    return Fail(InvalidArgument("bad status line: " + std::string(status_line)));
  }
  r.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  std::size_t pos = eol == std::string_view::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(InvalidArgument("bad header line"));
    r.headers.push_back(
        {std::string(line.substr(0, colon)), std::string(Trim(line.substr(colon + 1)))});
    pos = end + 2;
  }
  return r;
}

class FunctionHandler final : public Handler {
 public:
  explicit FunctionHandler(HandleFn fn) : fn_(std::move(fn)) {}
  void Handle(HttpRequest request, Respond respond) override {
    fn_(std::move(request), std::move(respond));
  }

 private:
  HandleFn fn_;
};

}  // namespace

ServerOptions LoopbackOptions(int threads) {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.threads = threads;
  return options;
}

Result<std::unique_ptr<Server>> StartServer(ServerOptions options, HandleFn fn) {
  return Server::Start(std::move(options), [fn](CoreContext&) -> Result<std::unique_ptr<Handler>> {
    return std::make_unique<FunctionHandler>(fn);
  });
}

Result<TestConnection> TestConnection::Connect(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(Internal(std::string("socket: ") + std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    return Fail(Unavailable(std::string("connect: ") + std::strerror(err)));
  }
  return TestConnection(fd);
}

TestConnection::TestConnection(TestConnection&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

TestConnection::~TestConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void TestConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::uint16_t TestConnection::local_port() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

Status TestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Unavailable(std::string("send: ") + std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok();
}

Result<bool> TestConnection::ReadSome(SteadyClock::time_point deadline) {
  pollfd p{fd_, POLLIN, 0};
  int ready = ::poll(&p, 1, MillisLeft(deadline));
  if (ready == 0) return Fail(DeadlineExceeded("no data before the deadline"));
  if (ready < 0) return Fail(Internal(std::string("poll: ") + std::strerror(errno)));
  char chunk[16 * 1024];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;  // EOF or reset
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

Result<ClientResponse> TestConnection::ReadResponse(std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    BLAZE_TRY(bool more, ReadSome(deadline));
    if (!more) return Fail(Unavailable("connection closed before a response"));
  }
  BLAZE_TRY(ClientResponse r, ParseHead(std::string_view(buffer_).substr(0, head_end)));
  auto length = r.header("content-length");
  std::size_t body_size = length ? std::stoul(std::string(*length)) : 0;
  std::size_t total = head_end + 4 + body_size;
  while (buffer_.size() < total) {
    BLAZE_TRY(bool more, ReadSome(deadline));
    if (!more) return Fail(Unavailable("connection closed mid-body"));
  }
  r.body = buffer_.substr(head_end + 4, body_size);
  buffer_.erase(0, total);
  return r;
}

bool TestConnection::WaitForClose(std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    auto more = ReadSome(deadline);
    if (!more) return false;  // deadline passed with the connection still open
    if (!*more) return true;
    buffer_.clear();
  }
}

Result<std::string> TestConnection::ReadUntil(std::string_view needle,
                                              std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  std::size_t at;
  while ((at = buffer_.find(needle)) == std::string::npos) {
    BLAZE_TRY(bool more, ReadSome(deadline));
    if (!more) return Fail(Unavailable("connection closed before '" + std::string(needle) + "'"));
  }
  std::string out = buffer_.substr(0, at + needle.size());
  buffer_.erase(0, at + needle.size());
  return out;
}

Result<std::string> TestConnection::ReadUntilClose(std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    BLAZE_TRY(bool more, ReadSome(deadline));
    if (!more) return std::exchange(buffer_, {});
  }
}

std::string GetRequest(std::string_view target, std::string_view host, std::string_view extra) {
  std::string r = "GET ";
  r.append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
  r.append(extra).append("\r\n");
  return r;
}

Result<ClientResponse> FetchOnce(std::uint16_t port, std::string_view target,
                                 std::string_view extra) {
  BLAZE_TRY(TestConnection c, TestConnection::Connect(port));
  BLAZE_TRY_VOID(c.Send(GetRequest(target, "test.localhost", extra)));
  return c.ReadResponse();
}

}  // namespace blaze::http::testing
