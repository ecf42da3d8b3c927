#include "blaze/bindings/d1_binding.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

#include "blaze/bindings/binding_test_util.h"
#include "blaze/bindings/storage.h"
#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

class D1BindingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d1 = storage_.D1().value();
    binding_ = NewD1Binding(d1, d1->Create("scores").value());
    Ok(Call("exec", {{"sql", "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                             "logo BLOB);\nINSERT INTO teams (name) VALUES ('Cubs')"}}));
  }

  Result<engine::BindingReply> Call(const std::string& op, const json& args,
                                    std::vector<std::string> buffers = {}) {
    return testing::CallInline(*binding_, op, args, std::move(buffers));
  }
  json Ok(const Result<engine::BindingReply>& r) { return testing::ReplyJson(r); }

  blaze::testing::TempDir dir_;
  Storage storage_{{.data_dir = dir_.path()}};
  std::shared_ptr<engine::BindingService> binding_;
};

TEST_F(D1BindingTest, QueryBindsParamsAndReturnsColumnsRowsAndMeta) {
  json r = Ok(Call("query", {{"sql", "INSERT INTO teams (name, logo) VALUES (?1, ?2)"},
                            {"params", {"Reds", {{"$buffer", 0}}}}},
                   {std::string("\x01\x02\xff", 3)}));
  EXPECT_EQ(r["meta"]["changes"], 1);
  EXPECT_EQ(r["meta"]["last_row_id"], 2);
  EXPECT_EQ(r["meta"]["changed_db"], true);
  EXPECT_GT(r["meta"]["size_after"].get<int>(), 0);
  json rows = Ok(Call("query", {{"sql", "SELECT name, logo, ?1 AS t FROM teams ORDER BY id"},
                                {"params", {true}}}));
  EXPECT_EQ(rows["columns"], json({"name", "logo", "t"}));
  EXPECT_EQ(rows["rows"], json::parse(R"([["Cubs", null, 1], ["Reds", [1, 2, 255], 1]])"));
  EXPECT_EQ(rows["meta"]["changed_db"], false);
}

TEST_F(D1BindingTest, ErrorsCarrySqliteMessagesAndCodeNames) {
  auto missing = Call("query", {{"sql", "SELECT * FROM nope"}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message(), "no such table: nope: SQLITE_ERROR");
  auto unique = Call("query", {{"sql", "INSERT INTO teams (name) VALUES ('Cubs')"}});
  ASSERT_FALSE(unique.has_value());
  EXPECT_EQ(unique.error().message(),
            "UNIQUE constraint failed: teams.name: SQLITE_CONSTRAINT (extended: "
            "SQLITE_CONSTRAINT_UNIQUE)");
  auto count = Call("query", {{"sql", "SELECT ?1, ?2"}, {"params", {1}}});
  ASSERT_FALSE(count.has_value());
  EXPECT_EQ(count.error().message(), "Wrong number of parameter bindings for SQL query.");
  auto empty = Call("query", {{"sql", "  -- nothing"}});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message(), "No SQL statements detected.");
}

TEST_F(D1BindingTest, BatchIsOneTransaction) {
  auto failed = Call("batch", {{"statements",
                                {{{"sql", "INSERT INTO teams (name) VALUES (?)"}, {"params", {"Brewers"}}},
                                 {{"sql", "INSERT INTO teams (name) VALUES (?)"}, {"params", {"Cubs"}}}}}});
  ASSERT_FALSE(failed.has_value());
  json n = Ok(Call("query", {{"sql", "SELECT count(*) FROM teams"}}));
  EXPECT_EQ(n["rows"][0][0], 1) << "the first insert was rolled back";
  json ok = Ok(Call("batch", {{"statements",
                               {{{"sql", "INSERT INTO teams (name) VALUES ('Brewers')"}},
                                {{"sql", "SELECT count(*) AS n FROM teams"}}}}}));
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[1]["rows"][0][0], 2);
}

TEST_F(D1BindingTest, ExecCountsStatementsAndNamesTheFailingOne) {
  json r = Ok(Call("exec", {{"sql", "CREATE TABLE t (a);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2)"}}));
  EXPECT_EQ(r["count"], 3);
  auto bad = Call("exec", {{"sql", "INSERT INTO t VALUES (3);\nSELECT * FROM nope"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(),
            "Error in line 2: SELECT * FROM nope: no such table: nope: SQLITE_ERROR");
}

TEST_F(D1BindingTest, DumpIsTheDatabaseFile) {
  auto r = Call("dump", json::object());
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->buffers.size(), 1u);
  EXPECT_EQ(r->buffers[0].substr(0, 15), "SQLite format 3");
}

TEST_F(D1BindingTest, ManyThreadsReadAndWriteTheSameDatabase) {
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        json args = {{"sql", "INSERT INTO teams (name) VALUES (?)"},
                     {"params", {"t" + std::to_string(t) + "-" + std::to_string(i)}}};
        failures += Call("query", args).has_value() ? 0 : 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  json n = Ok(Call("query", {{"sql", "SELECT count(*) FROM teams"}}));
  EXPECT_EQ(n["rows"][0][0], 201);
}

}  // namespace
}  // namespace blaze::bindings
