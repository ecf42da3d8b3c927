#include "blaze/cli/admin_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

namespace blaze::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxAnswerBytes = 4ull << 30;  // exec answers carry files (base64)

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

ErrorCode CodeFromStatus(int status) {
  switch (status) {
    case 400: return ErrorCode::kInvalidArgument;
    case 401: return ErrorCode::kUnauthenticated;
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kNotFound;
    case 409: return ErrorCode::kFailedPrecondition;
    case 412: return ErrorCode::kFailedPrecondition;
    case 413: return ErrorCode::kResourceExhausted;
    case 503: return ErrorCode::kUnavailable;
    case 504: return ErrorCode::kDeadlineExceeded;
    default: return ErrorCode::kInternal;
  }
}

// Runs `ioc` until the pending operation completes; the stream's expiry bounds it.
void RunOnce(asio::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

}  // namespace

Result<AdminUrl> ParseAdminUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind("https://", 0) == 0) {
    return Fail(InvalidArgument("the admin API URL " + url +
                                " uses https, which the CLI does not speak: give the admin port's "
                                "http:// URL (e.g. through an SSH tunnel)"));
  }
  if (url.rfind(kScheme, 0) != 0) {
    return Fail(InvalidArgument("the admin API URL must start with http:// (got \"" + url + "\")"));
  }
  std::string rest = url.substr(kScheme.size());
  AdminUrl out;
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.prefix = rest.substr(slash);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  if (authority.empty()) return Fail(InvalidArgument("the admin API URL " + url + " has no host"));
  if (authority.front() == '[') {  // [::1]:8788
    auto close = authority.find(']');
    if (close == std::string::npos) return Fail(InvalidArgument("bad IPv6 host in " + url));
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Fail(InvalidArgument("bad port in " + url));
      out.port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
  }
  bool digits = !out.port.empty() && out.port.size() <= 5;
  for (char c : out.port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits || std::stoi(out.port) > 65535 || out.host.empty()) {
    return Fail(InvalidArgument("bad host or port in the admin API URL " + url));
  }
  return out;
}

Result<ApiToken> ResolveApiToken(const char* env_token, const std::string& data_dir) {
  if (env_token && *env_token) return ApiToken{Trim(env_token), "BLAZE_API_TOKEN"};
  std::string path = (data_dir.empty() ? std::string(".blaze") : data_dir) + "/admin.token";
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = Trim(text.str());
    if (!token.empty()) return ApiToken{token, path};
  }
  return Fail(Unauthenticated(
      "no API token: BLAZE_API_TOKEN is not set and " + path +
      " cannot be read; set BLAZE_API_TOKEN to a token (`blaze token create`), or give the "
      "server's data directory with --data-dir, whose admin.token the first `blaze serve` wrote"));
}

std::optional<ErrorCode> ErrorCodeFromName(std::string_view name) {
  static constexpr std::pair<std::string_view, ErrorCode> kNames[] = {
      {"invalid_argument", ErrorCode::kInvalidArgument},
      {"not_found", ErrorCode::kNotFound},
      {"already_exists", ErrorCode::kAlreadyExists},
      {"permission_denied", ErrorCode::kPermissionDenied},
      {"unauthenticated", ErrorCode::kUnauthenticated},
      {"resource_exhausted", ErrorCode::kResourceExhausted},
      {"failed_precondition", ErrorCode::kFailedPrecondition},
      {"aborted", ErrorCode::kAborted},
      {"unavailable", ErrorCode::kUnavailable},
      {"deadline_exceeded", ErrorCode::kDeadlineExceeded},
      {"data_loss", ErrorCode::kDataLoss},
      {"internal", ErrorCode::kInternal},
  };
  for (const auto& [n, code] : kNames) {
    if (n == name) return code;
  }
  // The table's own names ("NotFound") are accepted too.
  for (const auto& [n, code] : kNames) {
    if (InfoFor(code).name == name) return code;
  }
  return std::nullopt;
}

Error ErrorFromAnswer(int status, std::string_view body) {
  ErrorCode code = CodeFromStatus(status);
  std::string message;
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    if (auto it = j.find("code"); it != j.end() && it->is_string()) {
      if (auto named = ErrorCodeFromName(it->get<std::string>())) code = *named;
    }
    if (auto it = j.find("error"); it != j.end()) {
      if (it->is_string()) {
        message = it->get<std::string>();
      } else if (it->is_object() && it->contains("text") && (*it)["text"].is_string()) {
        message = (*it)["text"].get<std::string>();
      }
    }
  }
  if (message.empty()) {
    std::string text(body.substr(0, 200));
    message = "the admin API answered HTTP " + std::to_string(status) +
              (text.empty() ? "" : ": " + Trim(text));
  }
  return Error(code, message);
}

std::string PathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<AdminClient> AdminClient::Create(AdminClientOptions options) {
  BLAZE_TRY(AdminUrl url, ParseAdminUrl(options.url));
  return AdminClient(std::move(options), std::move(url));
}

Result<Json> AdminClient::Get(const std::string& path) { return Call("GET", path, nullptr); }
Result<Json> AdminClient::Post(const std::string& path, const Json& body) {
  return Call("POST", path, &body);
}
Result<Json> AdminClient::Put(const std::string& path, const Json& body) {
  return Call("PUT", path, &body);
}
Result<Json> AdminClient::Delete(const std::string& path) { return Call("DELETE", path, nullptr); }

// A connection with a request written on it, waiting for the answer.
struct AdminClient::Exchange {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

Error AdminClient::Unreachable(const beast::error_code& ec) const {
  const std::string& where = options_.url;
  if (ec == asio::error::connection_refused) {
    return Unavailable("cannot reach the Blaze admin API at " + where +
                       ": is `blaze serve` running? (connection refused)");
  }
  if (ec == beast::error::timeout) {
    return Unavailable("cannot reach the Blaze admin API at " + where +
                       ": is `blaze serve` running? (no connection within " +
                       std::to_string(options_.connect_timeout.count() / 1000) + " s)");
  }
  return Unavailable("cannot reach the Blaze admin API at " + where +
                     ": is `blaze serve` running? (" + ec.message() + ")");
}

Result<std::unique_ptr<AdminClient::Exchange>> AdminClient::Send(std::string_view method,
                                                                 const std::string& path,
                                                                 const Json* body) {
  // Without a token the request still goes out: an unreachable server is the first thing to
  // report, and the server's 401 then becomes the message saying where the CLI looked.
  auto x = std::make_unique<Exchange>();
  tcp::resolver resolver(x->ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url_.host, url_.port, ec);
  if (ec) return Fail(Unreachable(ec));
  x->stream.expires_after(options_.connect_timeout);
  x->stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  RunOnce(x->ioc);
  if (ec) return Fail(Unreachable(ec));

  http::request<http::string_body> req;
  req.method(http::string_to_verb(beast::string_view(method.data(), method.size())));
  req.target(url_.prefix + path);
  req.version(11);
  req.set(http::field::host, url_.host + ":" + url_.port);
  req.set(http::field::user_agent, "blaze-cli");
  req.set(http::field::accept, "application/json");
  req.set(http::field::connection, "close");
  if (options_.token.has_value()) {
    req.set(http::field::authorization, "Bearer " + options_.token->secret);
  }
  if (body) {
    req.set(http::field::content_type, "application/json");
    req.body() = body->dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  req.prepare_payload();
  x->stream.expires_after(options_.read_timeout);
  http::async_write(x->stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
  RunOnce(x->ioc);
  if (ec) return Fail(Closed(method, path, ec));
  return x;
}

Error AdminClient::Closed(std::string_view method, const std::string& path,
                          const beast::error_code& ec) const {
  if (ec == beast::error::timeout) {
    return DeadlineExceeded("the Blaze admin API at " + options_.url + " did not answer " +
                            std::string(method) + " " + path + " within " +
                            std::to_string(options_.read_timeout.count() / 1000) + " s");
  }
  return Unavailable("the Blaze admin API at " + options_.url + " closed the connection during " +
                     std::string(method) + " " + path + " (" + ec.message() + ")");
}

Error AdminClient::AnswerError(int status, std::string_view body) const {
  Error e = ErrorFromAnswer(status, body);
  if (e.code() == ErrorCode::kUnauthenticated) {
    if (!options_.token.has_value()) return options_.token.error();
    // Where the refused token came from, never the token itself.
    e = Error(e.code(), e.message() + " (the token was read from " + options_.token->source + ")");
  }
  return e;
}

Result<Json> AdminClient::Call(std::string_view method, const std::string& path, const Json* body) {
  BLAZE_TRY(auto x, Send(method, path, body));
  beast::error_code ec;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxAnswerBytes);
  http::async_read(x->stream, x->buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
  RunOnce(x->ioc);
  if (ec) return Fail(Closed(method, path, ec));
  beast::error_code ignored;
  x->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  const auto& res = parser.get();
  int status = static_cast<int>(res.result_int());
  if (status < 200 || status > 299) return Fail(AnswerError(status, res.body()));
  if (res.body().empty()) return Json();
  Json j = Json::parse(res.body(), nullptr, false);
  if (j.is_discarded()) {
    return Fail(Internal("the admin API at " + options_.url + " answered " + std::string(method) +
                         " " + path + " with something that is not JSON"));
  }
  return j;
}

Status AdminClient::Stream(const std::string& path,
                           const std::function<bool(std::string_view)>& on_data) {
  BLAZE_TRY(auto x, Send("GET", path, nullptr));
  beast::error_code ec;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  http::async_read_header(x->stream, x->buffer, parser,
                          [&](beast::error_code e, std::size_t) { ec = e; });
  RunOnce(x->ioc);
  if (ec) return Fail(Closed("GET", path, ec));
  int status = static_cast<int>(parser.get().result_int());
  std::string error_body;
  char chunk[16 * 1024];
  x->stream.expires_never();  // a quiet stream is not an error (the server sends keep-alives)
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof(chunk);
    http::async_read_some(x->stream, x->buffer, parser,
                          [&](beast::error_code e, std::size_t) { ec = e; });
    RunOnce(x->ioc);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      if (ec == http::error::end_of_stream || ec == asio::error::eof) break;
      return Fail(Closed("GET", path, ec));
    }
    std::string_view got(chunk, sizeof(chunk) - parser.get().body().size);
    if (status < 200 || status > 299) {
      error_body.append(got);
    } else if (!got.empty() && !on_data(got)) {
      return Ok();
    }
  }
  if (status < 200 || status > 299) return Fail(AnswerError(status, error_body));
  return Ok();
}

}  // namespace blaze::cli
