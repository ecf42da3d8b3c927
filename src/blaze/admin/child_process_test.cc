#include "blaze/admin/child_process.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/testing/temp_dir.h"

namespace blaze::admin {
namespace {

using namespace std::chrono_literals;

ChildOptions Fake(std::vector<std::string> args) {
  ChildOptions o;
  o.program = BLAZE_ADMIN_FAKE_CLI;
  o.argv = {"fake"};
  for (auto& a : args) o.argv.push_back(std::move(a));
  o.env = {"PATH=/usr/bin:/bin"};
  o.timeout = 10s;
  return o;
}

TEST(ChildProcessTest, FeedsStdinAndCollectsOutputAndExitCode) {
  blaze::testing::TempDir dir;
  ChildOptions o = Fake({"--exit", "7"});
  o.cwd = dir.path();
  o.stdin_data = std::string(1 << 20, 'i');  // more than a socket buffer
  auto r = RunChild(o);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->exit_code, 7);
  EXPECT_EQ(r->err, "fake stderr\n");
  auto out = nlohmann::json::parse(r->out);
  EXPECT_EQ(out["stdin"].get<std::string>().size(), 1u << 20);
  EXPECT_EQ(out["cwd"], dir.path());
}

TEST(ChildProcessTest, AMissingProgramIsAnError) {
  ChildOptions o = Fake({});
  o.program = "/nonexistent/blaze";
  auto r = RunChild(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
}

TEST(ChildProcessTest, TimeoutKillsTheChild) {
  ChildOptions o = Fake({"--sleep", "30"});
  o.timeout = 200ms;
  auto started = std::chrono::steady_clock::now();
  auto r = RunChild(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ChildProcessTest, TooMuchOutputKillsTheChild) {
  ChildOptions o = Fake({"--spam", "3000000"});
  o.max_output_bytes = 1 << 20;
  auto r = RunChild(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

TEST(ChildProcessTest, CancellationKillsTheChild) {
  ChildOptions o = Fake({"--sleep", "30"});
  auto started = std::chrono::steady_clock::now();
  o.cancelled = [&] { return std::chrono::steady_clock::now() - started > 100ms; };
  auto r = RunChild(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

}  // namespace
}  // namespace blaze::admin
