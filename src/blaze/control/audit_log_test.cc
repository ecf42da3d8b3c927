#include "blaze/control/audit_log.h"

#include <gtest/gtest.h>

#include "blaze/control/control_test_fixture.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::control {
namespace {

class AuditLogTest : public ControlTest {
 protected:
  void SetUp() override {
    ControlTest::SetUp();
    log_ = std::make_unique<AuditLog>(*db_, clock_);
  }
  std::unique_ptr<AuditLog> log_;
  Actor alice_{"t-1", "alice"};
  Actor ci_{"t-2", "ci"};
};

TEST_F(AuditLogTest, RecordsWhoWhatWhenAndTarget) {
  Must(log_->Append(alice_, "deploy", "scores-api", {{"version_id", "v-1"}}));
  clock_.Advance(std::chrono::minutes(5));
  Must(log_->Append(ci_, "secret.put", "scores-api/API_KEY", {{"name", "API_KEY"}}));
  auto all = Must(log_->List({}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].action, "secret.put");  // newest first
  EXPECT_EQ(all[0].actor.name, "ci");
  EXPECT_EQ(all[0].actor.id, "t-2");
  EXPECT_EQ(all[0].time, "2025-01-01T00:05:00.000Z");
  EXPECT_EQ(all[0].target, "scores-api/API_KEY");
  EXPECT_EQ(all[1].detail["version_id"], "v-1");
  EXPECT_GT(all[0].id, all[1].id);
}

TEST_F(AuditLogTest, FiltersByLimitSinceActorActionAndTarget) {
  Must(log_->Append(alice_, "deploy", "a"));
  clock_.Advance(std::chrono::hours(1));
  Must(log_->Append(ci_, "secret.put", "a/X"));
  Must(log_->Append(ci_, "secret.delete", "a/X"));
  clock_.Advance(std::chrono::hours(1));
  Must(log_->Append(alice_, "rollback", "b"));
  EXPECT_EQ(Must(log_->List({.limit = 2})).size(), 2u);
  EXPECT_EQ(Must(log_->List({.limit = 0})).size(), 4u);
  auto since = Must(log_->List({.since = clock_.Now() - std::chrono::minutes(90)}));
  EXPECT_EQ(since.size(), 3u);
  EXPECT_EQ(Must(log_->List({.actor = "alice"})).size(), 2u);
  EXPECT_EQ(Must(log_->List({.actor = "t-2"})).size(), 2u);
  EXPECT_EQ(Must(log_->List({.action = "secret"})).size(), 2u);  // a family
  EXPECT_EQ(Must(log_->List({.action = "secret.put"})).size(), 1u);
  EXPECT_EQ(Must(log_->List({.action = "secre"})).size(), 0u);  // not a prefix match
  EXPECT_EQ(Must(log_->List({.target = "b"})).size(), 1u);
}

TEST_F(AuditLogTest, TheLogIsAppendOnly) {
  Must(log_->Append(alice_, "deploy", "a"));
  auto raw = Must(sqlite::Database::Open(dir_.path() + "/control.db", {}));
  auto update = raw->Exec("UPDATE audit_log SET actor_name = 'mallory'");
  ASSERT_FALSE(update.has_value());
  EXPECT_TRUE(Contains(update.error().message(), "append-only"));
  EXPECT_FALSE(raw->Exec("DELETE FROM audit_log").has_value());
  EXPECT_EQ(Must(log_->List({}))[0].actor.name, "alice");
}

TEST_F(AuditLogTest, SecretLookingDetailKeysAreRedacted) {
  Must(log_->Append(alice_, "secret.put", "a/X",
                    {{"name", "X"},
                     {"Value", "hunter2"},
                     {"nested", {{"token", "blz_abc"}, {"ok", 1}}},
                     {"list", nlohmann::json::array({nlohmann::json{{"password", "p"}}})}}));
  auto e = Must(log_->List({}))[0];
  EXPECT_EQ(e.detail["name"], "X");
  EXPECT_EQ(e.detail["Value"], "[redacted]");
  EXPECT_EQ(e.detail["nested"]["token"], "[redacted]");
  EXPECT_EQ(e.detail["nested"]["ok"], 1);
  EXPECT_EQ(e.detail["list"][0]["password"], "[redacted]");
  EXPECT_EQ(e.detail.dump().find("hunter2"), std::string::npos);
  EXPECT_EQ(ErrorOf(log_->Append(alice_, "", "a")).code(), ErrorCode::kInvalidArgument);
}

TEST_F(AuditLogTest, InvalidUtf8InADetailIsReplacedNotFatal) {
  Must(log_->Append(alice_, "rollback", "a", {{"message", std::string("bad \xff byte")}}));
  EXPECT_EQ(Must(log_->List({}))[0].detail["message"], "bad \xef\xbf\xbd byte");
}

}  // namespace
}  // namespace blaze::control
