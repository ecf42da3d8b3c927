#include "blaze/cli/admin_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>
#include <mutex>
#include <thread>

#include "tests/testing/must.h"
#include "tests/testing/temp_dir.h"

namespace blaze::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using testing::ErrorOf;
using testing::Must;

// A one-thread HTTP server on 127.0.0.1:<any port> that answers each connection with the next
// canned answer and records the requests it got.
class CannedServer {
 public:
  struct Answer {
    int status;
    std::string body;
  };
  struct Seen {
    std::string method, target, authorization, body;
  };

  explicit CannedServer(std::vector<Answer> answers)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        answers_(std::move(answers)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~CannedServer() { thread_.join(); }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  void Serve() {
    for (const auto& answer : answers_) {
      tcp::socket socket(ioc_);
      acceptor_.accept(socket);
      beast::flat_buffer buffer;
      http::request<http::string_body> req;
      beast::error_code ec;
      http::read(socket, buffer, req, ec);
      {
        std::lock_guard lock(mu_);
        seen_.push_back({std::string(req.method_string()), std::string(req.target()),
                         std::string(req[http::field::authorization]), req.body()});
      }
      http::response<http::string_body> res{static_cast<http::status>(answer.status), 11};
      res.set(http::field::content_type, "application/json");
      res.body() = answer.body;
      res.prepare_payload();
      http::write(socket, res, ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::vector<Answer> answers_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

AdminClient ClientFor(const std::string& url, std::string token = "blz_test") {
  AdminClientOptions o;
  o.url = url;
  o.token = ApiToken{std::move(token), "BLAZE_API_TOKEN"};
  return Must(AdminClient::Create(std::move(o)));
}

TEST(AdminClient, SendsJsonWithTheBearerTokenAndParsesTheAnswer) {
  CannedServer server({{200, R"({"id":"v1","number":1})"}, {200, "[]"}});
  AdminClient client = ClientFor(server.url());
  Json answer = Must(client.Post("/api/v1/workers/api/deploy", Json{{"main_module", "index.js"}}));
  EXPECT_EQ(answer["id"], "v1");
  EXPECT_EQ(Must(client.Get("/api/v1/tokens")), Json::array());
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/api/v1/workers/api/deploy");
  EXPECT_EQ(seen[0].authorization, "Bearer blz_test");
  EXPECT_EQ(Json::parse(seen[0].body)["main_module"], "index.js");
  EXPECT_EQ(seen[1].method, "GET");
}

TEST(AdminClient, ErrorAnswersBecomeTheirErrorCode) {
  CannedServer server({
      {400, R"({"error":"src/index.js:3: SyntaxError: unexpected token","code":"invalid_argument","status":400})"},
      {403, R"({"error":"this token lacks the deploy scope","code":"permission_denied","status":403})"},
      {409, R"({"error":"D1 database 'db' (binding DB) does not exist","code":"failed_precondition","status":409})"},
      {409, R"({"error":"a token named ci exists","code":"already_exists","status":409})"},
      {404, "not json at all"},
      {401, R"({"error":"unknown token","code":"unauthenticated","status":401})"},
  });
  AdminClient client = ClientFor(server.url());
  Error e = ErrorOf(client.Post("/api/v1/workers/w/deploy", Json::object()));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.message(), "src/index.js:3: SyntaxError: unexpected token");
  EXPECT_EQ(e.exit_code(), 2);
  e = ErrorOf(client.Post("/api/v1/workers/w/deploy", Json::object()));
  EXPECT_EQ(e.code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(e.exit_code(), 5);
  e = ErrorOf(client.Post("/api/v1/workers/w/deploy", Json::object()));
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  e = ErrorOf(client.Post("/api/v1/tokens", Json::object()));
  EXPECT_EQ(e.code(), ErrorCode::kAlreadyExists);
  e = ErrorOf(client.Get("/api/v1/workers/nope/versions"));
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);  // from the status when the body has no code
  EXPECT_NE(e.message().find("HTTP 404"), std::string::npos) << e.message();
  e = ErrorOf(client.Get("/api/v1/tokens"));
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(e.exit_code(), 6);
  // Where the token came from, never the token.
  EXPECT_NE(e.message().find("read from BLAZE_API_TOKEN"), std::string::npos) << e.message();
  EXPECT_EQ(e.message().find("blz_test"), std::string::npos);
}

TEST(AdminClient, ARefusedConnectionIsUnavailableAndSaysWhatToCheck) {
  std::string url;
  {
    asio::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    url = "http://127.0.0.1:" + std::to_string(a.local_endpoint().port());
  }  // closed: nothing listens there now
  AdminClient client = ClientFor(url);
  Error e = ErrorOf(client.Get("/api/v1/workers"));
  EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(e.exit_code(), 10);
  EXPECT_NE(e.message().find("cannot reach the Blaze admin API at " + url +
                             ": is `blaze serve` running?"),
            std::string::npos)
      << e.message();
}

TEST(AdminClient, WithoutATokenTheRefusalSaysWhereTheCliLooked) {
  CannedServer server({{401, R"({"error":"no token","code":"unauthenticated","status":401})"},
                       {200, R"({"status":"ok","version":"0.1.0"})"}});
  AdminClientOptions o;
  o.url = server.url();
  o.token = Fail(Unauthenticated("no API token: looked in .blaze/admin.token"));
  AdminClient client = Must(AdminClient::Create(std::move(o)));
  Error e = ErrorOf(client.Get("/api/v1/workers"));
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(e.message(), "no API token: looked in .blaze/admin.token");
  EXPECT_EQ(Must(client.Get("/api/v1/health"))["status"], "ok");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].authorization, "");  // nothing made up
}

TEST(AdminClient, WithoutATokenAnUnreachableServerIsStillUnavailable) {
  AdminClientOptions o;
  o.url = "http://127.0.0.1:1";
  o.token = Fail(Unauthenticated("no API token"));
  AdminClient client = Must(AdminClient::Create(std::move(o)));
  EXPECT_EQ(ErrorOf(client.Get("/api/v1/workers")).code(), ErrorCode::kUnavailable);
}

TEST(AdminClient, AnAnswerLateBeyondTheReadTimeoutIsDeadlineExceeded) {
  asio::io_context ioc;
  tcp::acceptor silent(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));  // never answers
  AdminClientOptions o;
  o.url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  o.token = ApiToken{"blz_x", "BLAZE_API_TOKEN"};
  o.read_timeout = std::chrono::milliseconds(200);
  AdminClient client = Must(AdminClient::Create(std::move(o)));
  Error e = ErrorOf(client.Get("/api/v1/workers"));
  EXPECT_EQ(e.code(), ErrorCode::kDeadlineExceeded) << e.message();
}

TEST(ParseAdminUrl, HostPortAndPrefix) {
  AdminUrl u = Must(ParseAdminUrl("http://127.0.0.1:8788"));
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "8788");
  EXPECT_EQ(u.prefix, "");
  u = Must(ParseAdminUrl("http://blaze.internal/admin/"));
  EXPECT_EQ(u.host, "blaze.internal");
  EXPECT_EQ(u.port, "80");
  EXPECT_EQ(u.prefix, "/admin");
  u = Must(ParseAdminUrl("http://[::1]:9000"));
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "9000");
  EXPECT_NE(ErrorOf(ParseAdminUrl("https://x")).message().find("https"), std::string::npos);
  EXPECT_EQ(ErrorOf(ParseAdminUrl("127.0.0.1:8788")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(ParseAdminUrl("http://h:99999")).code(), ErrorCode::kInvalidArgument);
}

TEST(ResolveApiToken, EnvironmentFirstThenTheDataDirectorysFileThenAClearError) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/admin.token") << "blz_from_file\n";
  ApiToken t = Must(ResolveApiToken("blz_from_env", dir.path()));
  EXPECT_EQ(t.secret, "blz_from_env");
  EXPECT_EQ(t.source, "BLAZE_API_TOKEN");
  t = Must(ResolveApiToken(nullptr, dir.path()));
  EXPECT_EQ(t.secret, "blz_from_file");  // trimmed
  EXPECT_EQ(t.source, dir.path() + "/admin.token");
  t = Must(ResolveApiToken("", dir.path()));  // an empty variable counts as unset
  EXPECT_EQ(t.secret, "blz_from_file");

  Error e = ErrorOf(ResolveApiToken(nullptr, dir.path() + "/elsewhere"));
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(e.message().find("BLAZE_API_TOKEN"), std::string::npos);
  EXPECT_NE(e.message().find(dir.path() + "/elsewhere/admin.token"), std::string::npos)
      << e.message();
}

TEST(ErrorFromAnswer, CodeNamesAndStatuses) {
  EXPECT_EQ(ErrorFromAnswer(500, R"({"error":"x","code":"data_loss"})").code(), ErrorCode::kDataLoss);
  EXPECT_EQ(ErrorFromAnswer(503, "").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(ErrorFromAnswer(413, "").code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(ErrorFromAnswer(409, R"({"error":"x","code":"weird"})").code(),
            ErrorCode::kFailedPrecondition);  // an unknown code falls back to the status
  EXPECT_EQ(ErrorCodeFromName("NotFound"), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorCodeFromName("nope"), std::nullopt);
  EXPECT_EQ(PathSegment("a b/c"), "a%20b%2Fc");
}

}  // namespace
}  // namespace blaze::cli
