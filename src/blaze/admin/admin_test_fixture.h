// Shared setup for the admin API's server tests: a real ControlPlane in a fresh data directory,
// a FakeRuntime, an ApiServer on a free loopback port with short test tuning, the first admin
// token, and a blocking HTTP client (http/test_support.h). Test-only.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "blaze/admin/api_context.h"
#include "blaze/admin/api_server.h"
#include "blaze/admin/runtime.h"
#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/control/control_plane.h"
#include "blaze/control/crypto.h"
#include "blaze/http/test_support.h"
#include "tests/testing/must.h"
#include "tests/testing/temp_dir.h"

namespace blaze::admin {

using nlohmann::json;
using testing::Must;
using testing::MustOk;

// Answers as told; counts calls; thread-safe (the API calls it from its pool).
class FakeRuntime final : public Runtime {
 public:
  Status Check(const control::NewVersion& version) override {
    std::lock_guard lock(mu_);
    ++checks;
    checked_workers.push_back(version.worker);
    return check_result;
  }
  Result<int> Probe(const std::string& worker, const std::string& version_id,
                    const std::string& path) override {
    std::lock_guard lock(mu_);
    probes.push_back(worker + " " + version_id + " " + path);
    return probe_result;
  }
  Status Refresh() override {
    std::lock_guard lock(mu_);
    ++refreshes;
    return refresh_result;
  }
  // Versions in `stats` answer their entry. Any other version answers zero on its first call
  // and `later_stats` after (the watch reads a new version at the window's start and end).
  VersionStats Stats(const std::string& version_id) override {
    std::lock_guard lock(mu_);
    if (auto it = stats.find(version_id); it != stats.end()) return it->second;
    return stats_calls[version_id]++ == 0 ? VersionStats{} : later_stats;
  }
  std::string UrlOf(const std::string& worker) override {
    return "http://" + worker + ".localhost:8787";
  }
  std::unique_ptr<TailSubscription> Tail(const std::string& worker, TailSink sink) override {
    std::lock_guard lock(mu_);
    std::uint64_t id = next_tail_++;
    sinks_[id] = {worker, std::move(sink)};
    return std::make_unique<Subscription>(this, id);
  }

  // Sends `line` to every tail of `worker`; returns how many there were.
  int Emit(const std::string& worker, const std::string& line) {
    std::lock_guard lock(mu_);
    int n = 0;
    for (auto& [id, entry] : sinks_) {
      if (entry.first == worker) {
        entry.second(line);
        ++n;
      }
    }
    return n;
  }
  int tails() {
    std::lock_guard lock(mu_);
    return static_cast<int>(sinks_.size());
  }
  template <typename F>
  auto With(F&& f) {
    std::lock_guard lock(mu_);
    return f();
  }

  // Set before the calls (or under With).
  Status check_result = Ok();
  Result<int> probe_result = 200;
  Status refresh_result = Ok();
  std::map<std::string, VersionStats> stats;
  VersionStats later_stats;
  // Observed.
  int checks = 0;
  int refreshes = 0;
  std::vector<std::string> checked_workers;
  std::vector<std::string> probes;

 private:
  class Subscription final : public TailSubscription {
   public:
    Subscription(FakeRuntime* runtime, std::uint64_t id) : runtime_(runtime), id_(id) {}
    ~Subscription() override {
      std::lock_guard lock(runtime_->mu_);
      runtime_->sinks_.erase(id_);
    }

   private:
    FakeRuntime* runtime_;
    std::uint64_t id_;
  };

  std::mutex mu_;
  std::map<std::string, int> stats_calls;
  std::uint64_t next_tail_ = 1;
  std::map<std::uint64_t, std::pair<std::string, TailSink>> sinks_;
};

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  http::Headers headers;
  std::optional<std::string_view> header(std::string_view name) const {
    return http::FindHeader(headers, name);
  }
};

inline bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    control::ControlPlaneOptions o;
    o.data_dir = dir_.path();
    o.clock = &clock_;
    o.random = &random_;
    o.secure_random = &secure_random_;
    control_ = Must(control::ControlPlane::Open(o));
    admin_token_ = Must(control_->EnsureAdminToken())->token;
    StartServer();
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  virtual ApiTuning Tuning() {
    ApiTuning t;
    t.exec_timeout = std::chrono::milliseconds(10'000);
    t.tail_heartbeat = std::chrono::milliseconds(50);
    t.max_body_bytes = 1u << 20;
    return t;
  }

  void StartServer() {
    ApiOptions options;
    options.control = control_.get();
    options.runtime = &runtime_;
    options.data_dir = dir_.path();
    options.blaze_binary = BLAZE_ADMIN_FAKE_CLI;
    options.version = "9.9.9-test";
    options.port = 0;
    server_ = Must(StartApiServer(std::move(options), Tuning()));
  }

  // One request on a fresh connection. `token` empty: no Authorization header.
  Reply Call(const std::string& method, const std::string& target, const json& body = nullptr,
             const std::string& token = "<admin>") {
    std::string text = body.is_null() ? "" : body.dump();
    return CallRaw(method, target, text, token);
  }

  Reply CallRaw(const std::string& method, const std::string& target, const std::string& body,
                const std::string& token = "<admin>",
                std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) {
    auto conn = Must(http::testing::TestConnection::Connect(server_->port()));
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    std::string bearer = token == "<admin>" ? admin_token_ : token;
    if (!bearer.empty()) request += "Authorization: Bearer " + bearer + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT") {
      request += "Content-Type: application/json\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n";
    }
    request += "\r\n" + body;
    MustOk(conn.Send(request));
    auto response = Must(conn.ReadResponse(timeout));
    Reply reply;
    reply.status = response.status;
    reply.raw = response.body;
    reply.headers = response.headers;
    reply.body = json::parse(response.body, nullptr, false);
    return reply;
  }

  // A NewVersion body whose worker answers `text`.
  static json VersionBody(const std::string& text = "v1") {
    return {{"main_module", "src/index.js"},
            {"modules",
             {{"src/index.js", "import { t } from './lib.js';\nexport default { fetch() { "
                               "return new Response(t + ' " +
                                   text + "'); } };\n"},
              {"src/lib.js", "export const t = 'hello';\n"}}},
            {"config",
             {{"compatibility_date", "2025-01-01"},
              {"vars", {{{"name", "MODE"}, {"kind", "text"}, {"value", "production"}}}},
              {"crons", json::array()}}},
            {"message", "deploy " + text}};
  }

  // Deploys and returns the answer (expects 200).
  json Deploy(const std::string& worker, const std::string& text, json extra = json::object()) {
    json body = VersionBody(text);
    for (auto& [k, v] : extra.items()) body[k] = v;
    Reply r = Call("POST", "/api/v1/workers/" + worker + "/deploy", body);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }

  std::string CreateToken(const std::string& name, std::vector<std::string> scopes) {
    Reply r = Call("POST", "/api/v1/tokens", {{"name", name}, {"scopes", scopes}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("token", "");
  }

  ::blaze::testing::TempDir dir_;
  SystemClock clock_;
  Random random_{42};
  control::FakeSecureRandom secure_random_{7};
  std::unique_ptr<control::ControlPlane> control_;
  std::string admin_token_;
  FakeRuntime runtime_;
  std::unique_ptr<ApiServer> server_;
};

}  // namespace blaze::admin
