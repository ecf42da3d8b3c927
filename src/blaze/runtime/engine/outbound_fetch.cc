#include "blaze/runtime/engine/outbound_fetch.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cctype>
#include <limits>
#include <optional>

namespace blaze::engine {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct Url {
  bool tls = false;
  std::string host;  // without brackets
  std::string port;
  std::string target;  // "/path?query"

  std::string Origin() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    bool default_port = (tls && port == "443") || (!tls && port == "80");
    return (tls ? "https://" : "http://") + h + (default_port ? "" : ":" + port);
  }
};

std::optional<Url> ParseUrl(std::string_view text) {
  Url url;
  if (text.starts_with("https://")) {
    url.tls = true;
    text.remove_prefix(8);
  } else if (text.starts_with("http://")) {
    text.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  std::size_t slash = text.find_first_of("/?#");
  std::string_view authority = text.substr(0, slash);
  std::string_view rest = slash == std::string_view::npos ? "" : text.substr(slash);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  url.port = url.tls ? "443" : "80";
  if (authority.starts_with("[")) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      url.port = authority.substr(close + 2);
  } else {
    std::size_t colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) url.port = authority.substr(colon + 1);
  }
  if (url.host.empty() || url.port.empty()) return std::nullopt;
  rest = rest.substr(0, rest.find('#'));
  url.target = rest.empty() || rest[0] != '/' ? "/" + std::string(rest) : std::string(rest);
  return url;
}

std::string ResolveLocation(const Url& base, std::string_view location) {
  if (location.starts_with("http://") || location.starts_with("https://"))
    return std::string(location);
  if (location.starts_with("//")) return (base.tls ? "https:" : "http:") + std::string(location);
  if (location.starts_with("/")) return base.Origin() + std::string(location);
  std::string dir = base.target.substr(0, base.target.find('?'));
  dir = dir.substr(0, dir.rfind('/') + 1);
  return base.Origin() + dir + std::string(location);
}

// RFC 6761: "localhost" and every name under it are the loopback address, whatever the system
// resolver says (glibc does not know `<worker>.localhost`, which `blaze serve` routes on), as
// curl and browsers treat them. The Host header still carries the name.
std::string LookupName(const std::string& host) {
  std::string lower = host;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.ends_with('.')) lower.pop_back();
  if (lower == "localhost" || lower.ends_with(".localhost")) return "127.0.0.1";
  return host;
}

class FetchOperation : public std::enable_shared_from_this<FetchOperation> {
 public:
  FetchOperation(net::io_context& io, OutboundClient& client, const OutboundOptions& options,
                 OutboundRequest request, OutboundClient::Callback done)
      : io_(io), client_(client), options_(options), request_(std::move(request)),
        done_(std::move(done)), resolver_(io),
        deadline_(std::chrono::steady_clock::now() + options.timeout) {}

  void Start(const std::string& url_text) {
    auto url = ParseUrl(url_text);
    if (!url) return Finish(Fail(InvalidArgument("invalid URL '" + url_text + "'")));
    url_ = *url;
    current_url_ = url_text;
    plain_.reset();
    secure_.reset();
    resolver_.async_resolve(LookupName(url_.host), url_.port,
                            [self = shared_from_this()](beast::error_code ec,
                                                        tcp::resolver::results_type results) {
                              self->OnResolve(ec, results);
                            });
  }

 private:
  void OnResolve(beast::error_code ec, const tcp::resolver::results_type& results) {
    if (ec) return Finish(Fail(Unavailable("DNS lookup failed: " + ec.message())));
    BuildRequest();
    if (url_.tls) {
      secure_.emplace(io_, client_.tls());
      if (!SSL_set_tlsext_host_name(secure_->native_handle(), url_.host.c_str()))
        return Finish(Fail(Unavailable("cannot set TLS SNI")));
      secure_->set_verify_mode(ssl::verify_peer);
      secure_->set_verify_callback(ssl::host_name_verification(url_.host));
      Connect(beast::get_lowest_layer(*secure_), results);
    } else {
      plain_.emplace(io_);
      Connect(*plain_, results);
    }
  }

  void Connect(beast::tcp_stream& stream, const tcp::resolver::results_type& results) {
    stream.expires_at(deadline_);
    stream.async_connect(results, [self = shared_from_this()](beast::error_code ec,
                                                              const tcp::endpoint&) {
      if (ec) return self->Finish(self->NetError("connect", ec));
      if (!self->secure_) return self->Send(*self->plain_);
      self->secure_->async_handshake(ssl::stream_base::client, [self](beast::error_code ec) {
        if (ec) return self->Finish(self->NetError("TLS handshake", ec));
        self->Send(*self->secure_);
      });
    });
  }

  void BuildRequest() {
    http_request_ = {};
    http_request_.version(11);
    http_request_.method_string(request_.method);
    http_request_.target(url_.target);
    bool has_host = false;
    for (const auto& [name, value] : request_.headers) {
      has_host |= beast::iequals(name, "host");
      http_request_.insert(name, value);
    }
    bool default_port = url_.port == (url_.tls ? "443" : "80");
    if (!has_host) http_request_.set(http::field::host, url_.host + (default_port ? "" : ":" + url_.port));
    http_request_.set(http::field::connection, "close");
    http_request_.body() = request_.body;
    if (!request_.body.empty() || request_.method == "POST" || request_.method == "PUT")
      http_request_.prepare_payload();
  }

  template <typename Stream>
  void Send(Stream& stream) {
    beast::get_lowest_layer(stream).expires_at(deadline_);
    http::async_write(stream, http_request_,
                      [self = shared_from_this(), &stream](beast::error_code ec, std::size_t) {
                        if (ec) return self->Finish(self->NetError("write", ec));
                        self->Receive(stream);
                      });
  }

  // The head first; the body then comes whole if it arrived with it, else as a stream.
  template <typename Stream>
  void Receive(Stream& stream) {
    parser_.emplace();
    // A streamed body is not held here (see DrainBuffered). Not boost::none: Beast 1.74 compares
    // the length with the optional, and any length is greater than an empty one.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (request_.method == "HEAD") parser_->skip(true);
    buffer_.clear();
    http::async_read_header(stream, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Finish(self->NetError("read", ec));
                              self->OnResponse();
                            });
  }

  void OnResponse() {
    auto& message = parser_->get();
    int status = static_cast<int>(message.result_int());
    bool is_redirect = status == 301 || status == 302 || status == 303 || status == 307 ||
                       status == 308;
    auto location = message.find(http::field::location);
    if (is_redirect && location != message.end() && request_.redirect != RedirectMode::kManual) {
      if (request_.redirect == RedirectMode::kError)
        return Finish(Fail(InvalidArgument("redirect mode is 'error' but the response redirects")));
      if (++redirects_ > options_.max_redirects)
        return Finish(Fail(Unavailable("too many redirects")));
      if (status == 303 || ((status == 301 || status == 302) && request_.method == "POST")) {
        request_.method = "GET";
        request_.body.clear();
        std::erase_if(request_.headers, [](const auto& h) {
          return beast::iequals(h.first, "content-type") || beast::iequals(h.first, "content-length");
        });
      }
      redirected_ = true;
      std::string next = ResolveLocation(url_, std::string(location->value()));
      net::post(io_, [self = shared_from_this(), next] { self->Start(next); });
      return;
    }
    OutboundResponse response;
    response.status = status;
    response.status_text = std::string(message.reason());
    for (const auto& field : message)
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    response.url = current_url_;
    response.redirected = redirected_;
    std::string arrived;
    if (Status drained = DrainBuffered(arrived); !drained) return Finish(Fail(drained.error()));
    if (parser_->is_done()) {
      response.body = std::move(arrived);
      Close();
      return Finish(std::move(response));
    }
    response.body_stream = StartBodyStream(std::move(arrived));
    Finish(std::move(response));
  }

  // ---- a body streamed on demand ----

  std::shared_ptr<BytePipe> StartBodyStream(std::string arrived) {
    std::optional<std::uint64_t> length;
    if (auto n = parser_->content_length()) length = *n;
    net::io_context* io = &io_;
    auto pipe = std::make_shared<BytePipe>(
        [io](std::function<void()> task) { net::post(*io, std::move(task)); }, length);
    pipe->Push(std::move(arrived));
    // The pipe keeps this operation (and its connection) alive while its consumer holds it.
    pipe->set_hooks({.on_demand = [self = shared_from_this()] { self->ReadBody(); },
                     .on_cancel = [self = shared_from_this()] { self->Close(); }});
    body_pipe_ = pipe;
    return pipe;
  }

  // Parses what is already in buffer_ into `out` (no socket I/O).
  Status DrainBuffered(std::string& out) {
    char chunk[16 * 1024];
    while (buffer_.size() > 0 && !parser_->is_done()) {
      auto& body = parser_->get().body();
      body.data = chunk;
      body.size = sizeof chunk;
      body.more = true;
      beast::error_code ec;
      std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      out.append(chunk, sizeof chunk - body.size);
      if (ec == http::error::need_buffer) continue;
      if (ec == http::error::need_more || (!ec && used == 0)) break;
      if (ec) return Fail(Unavailable("read failed: " + ec.message()));
      if (out.size() > options_.max_body_bytes) break;  // hand the rest to the stream
    }
    return Ok();
  }

  void ReadBody() {
    auto pipe = body_pipe_.lock();
    if (!pipe || !pipe->waiting() || reading_) return;
    std::string arrived;
    if (Status drained = DrainBuffered(arrived); !drained) return pipe->Fail(drained.error());
    pipe->Push(std::move(arrived));
    if (parser_->is_done()) {
      Close();
      return pipe->Finish();
    }
    if (!pipe->waiting()) return;
    reading_ = true;
    read_chunk_.resize(64 * 1024);
    auto& body = parser_->get().body();
    body.data = read_chunk_.data();
    body.size = read_chunk_.size();
    body.more = true;
    if (secure_) return ReadSome(*secure_);
    if (plain_) return ReadSome(*plain_);
    reading_ = false;
    pipe->Fail(Unavailable("the connection is gone"));
  }

  template <typename Stream>
  void ReadSome(Stream& stream) {
    beast::get_lowest_layer(stream).expires_after(options_.timeout);
    http::async_read_some(
        stream, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBodyRead(ec); });
  }

  void OnBodyRead(beast::error_code ec) {
    reading_ = false;
    auto pipe = body_pipe_.lock();
    if (!pipe) return;  // cancelled: Close() already let the connection go
    std::size_t got = read_chunk_.size() - parser_->get().body().size;
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return pipe->Fail(NetError("read", ec).error());
    pipe->Push(std::string(read_chunk_.data(), got));
    if (parser_->is_done()) {
      Close();
      return pipe->Finish();
    }
    if (pipe->waiting()) ReadBody();  // only framing arrived: read on
  }

  void Close() {
    beast::error_code ignored;
    if (plain_) plain_->socket().close(ignored);
    if (secure_) beast::get_lowest_layer(*secure_).socket().close(ignored);
  }

  std::unexpected<Error> NetError(std::string_view step, beast::error_code ec) {
    if (ec == beast::error::timeout) return Fail(DeadlineExceeded("fetch timed out"));
    return Fail(Unavailable(std::string(step) + " failed: " + ec.message()));
  }

  void Finish(Result<OutboundResponse> result) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

  net::io_context& io_;
  OutboundClient& client_;  // its TLS context is built only when a request needs TLS
  OutboundOptions options_;
  OutboundRequest request_;
  OutboundClient::Callback done_;
  tcp::resolver resolver_;
  std::chrono::steady_clock::time_point deadline_;
  Url url_;
  std::string current_url_;
  int redirects_ = 0;
  bool redirected_ = false;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
  http::request<http::string_body> http_request_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
  std::weak_ptr<BytePipe> body_pipe_;  // a streamed body; its consumer owns it
  std::string read_chunk_;
  bool reading_ = false;
};

}  // namespace

OutboundClient::OutboundClient(net::io_context& io, OutboundOptions options)
    : io_(io), options_(options) {}

// Loading the system trust store costs ~45 ms of CPU. It is built on a helper thread, started by
// the first fetch of any kind (so a core that never fetches never pays), and neither the core's
// start-up nor a request's CPU budget is charged for it.
void OutboundClient::WarmTls() {
  if (tls_ || tls_future_.valid()) return;
  tls_future_ = std::async(std::launch::async, [] {
    auto tls = std::make_unique<ssl::context>(ssl::context::tls_client);
    tls->set_default_verify_paths();
    tls->set_verify_mode(ssl::verify_peer);
    return tls;
  });
}

ssl::context& OutboundClient::tls() {
  WarmTls();
  if (!tls_) tls_ = tls_future_.get();
  return *tls_;
}

OutboundClient::~OutboundClient() = default;

void OutboundClient::Fetch(OutboundRequest request, Callback done) {
  WarmTls();
  std::string url = request.url;
  auto operation = std::make_shared<FetchOperation>(io_, *this, options_, std::move(request),
                                                    std::move(done));
  // Never complete inside the caller (a JS native): start from a fresh io_context handler.
  net::post(io_, [operation, url] { operation->Start(url); });
}

}  // namespace blaze::engine
