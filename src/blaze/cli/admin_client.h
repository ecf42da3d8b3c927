// AdminClient: the CLI's side of the admin API (docs/admin-api.md) — a small blocking HTTP/1.1
// JSON client over TCP (Boost.Beast; http:// only), one connection per request, with connect and
// read timeouts. An error answer `{"error", "code", "status"}` becomes the blaze::Error of that
// code, so the CLI's exit code follows base/error.h's table as it does locally; a server that
// cannot be reached is Unavailable ("is `blaze serve` running?").
//
// Where it talks to: `--url` (global), else $BLAZE_URL, else http://127.0.0.1:8788 (the admin
// port's default). The token: $BLAZE_API_TOKEN, else `<data-dir>/admin.token` (the file the first
// `blaze serve` of a data directory writes). The token is sent as `Authorization: Bearer ...`
// and never printed; without one the request goes out bare (so an unreachable server is still
// reported as such) and the server's 401 becomes an Unauthenticated saying where the CLI looked.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "blaze/base/result.h"
#include "blaze/cli/output.h"

namespace blaze::cli {

inline constexpr const char* kDefaultAdminUrl = "http://127.0.0.1:8788";

// An admin API base URL, split: "http://host:port/prefix".
struct AdminUrl {
  std::string host;
  std::string port = "80";
  std::string prefix;  // "" or "/something", without a trailing '/'
};
Result<AdminUrl> ParseAdminUrl(const std::string& url);

// The token and where it came from ("BLAZE_API_TOKEN" or the file's path), for error hints.
struct ApiToken {
  std::string secret;
  std::string source;
};
// `env_token` ($BLAZE_API_TOKEN) when set and not empty, else `<data_dir>/admin.token` (trimmed)
// when readable, else Unauthenticated naming both places.
Result<ApiToken> ResolveApiToken(const char* env_token, const std::string& data_dir);

// The blaze::Error of an error answer: the body's `code` ("not_found", ...) when it has one, else
// the HTTP status; the message is the body's `error` (or the status line).
Error ErrorFromAnswer(int status, std::string_view body);
// "not_found" -> kNotFound; nullopt for an unknown name.
std::optional<ErrorCode> ErrorCodeFromName(std::string_view name);

struct AdminClientOptions {
  std::string url = kDefaultAdminUrl;
  Result<ApiToken> token = Fail(Unauthenticated("no API token"));
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{300000};  // exec of a large restore, deploy --watch
};

class AdminClient {
 public:
  static Result<AdminClient> Create(AdminClientOptions options);

  Result<Json> Get(const std::string& path);
  Result<Json> Post(const std::string& path, const Json& body);
  Result<Json> Put(const std::string& path, const Json& body);
  Result<Json> Delete(const std::string& path);
  // GET `path` and hand its body to `on_data` piece by piece as it arrives, without a read
  // timeout (`blaze tail`), until the server ends it or `on_data` returns false. An error
  // answer is read whole and returned like Call's.
  Status Stream(const std::string& path, const std::function<bool(std::string_view)>& on_data);

  // How long to wait for an answer once the request is sent (deploy --watch waits its window).
  void set_read_timeout(std::chrono::milliseconds timeout) { options_.read_timeout = timeout; }
  const std::string& url() const { return options_.url; }

 private:
  AdminClient(AdminClientOptions options, AdminUrl url)
      : options_(std::move(options)), url_(std::move(url)) {}
  struct Exchange;
  // Connects and writes the request; the answer is the caller's to read.
  Result<std::unique_ptr<Exchange>> Send(std::string_view method, const std::string& path,
                                         const Json* body);
  Result<Json> Call(std::string_view method, const std::string& path, const Json* body);
  Error Unreachable(const boost::system::error_code& ec) const;
  Error Closed(std::string_view method, const std::string& path,
               const boost::system::error_code& ec) const;
  Error AnswerError(int status, std::string_view body) const;

  AdminClientOptions options_;
  AdminUrl url_;
};

// "/api/v1/workers/" + the worker's name, escaped for a path segment.
std::string PathSegment(std::string_view text);

}  // namespace blaze::cli
