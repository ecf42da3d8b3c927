#include "blaze/bindings/d1_binding.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "blaze/bindings/binding_test_util.h"
#include "blaze/bindings/storage.h"
#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

class D1BindingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d1_ = storage_.D1().value();
    db_ = d1_->Create("scores").value();
    binding_ = NewD1Binding(d1_, db_);
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
  std::shared_ptr<d1::D1Service> d1_;
  d1::DatabaseInfo db_;
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
  // What Cloudflare's D1 refuses (d1/sql_policy.h) reads as wrangler dev words it.
  for (const char* sql : {"ATTACH 'x.db' AS x", "PRAGMA journal_mode = DELETE"}) {
    auto refused = Call("query", {{"sql", sql}});
    ASSERT_FALSE(refused.has_value()) << sql;
    EXPECT_EQ(refused.error().message(), "not authorized: SQLITE_AUTH") << sql;
  }
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

// The query op reads its arguments without a JSON tree; what it cannot read goes the general
// way. Either way the values bound are the same.
TEST_F(D1BindingTest, QueryArgumentsOfEveryKindBind) {
  const std::string text = "q\"\\\n\u00e9\U0001F600/";
  EXPECT_TRUE(binding_->AnswersInline());
  std::optional<Result<engine::BindingReply>> out;
  boost::asio::io_context io;
  auto call = [&](std::string args) {
    out.reset();
    binding_->Call({"query", std::move(args), {std::string("\x00\x01", 2)}}, {io, nullptr, "t"},
                   [&](Result<engine::BindingReply> reply) { out = std::move(reply); });
    return Ok(*out);
  };
  json rows = call(R"({"sql":"SELECT ?1, ?2, ?3, ?4, ?5, ?6, typeof(?7), ?8",)"
                   R"( "params": ["q\"\\\n\u00e9\ud83d\ude00\/", -0.5, 9007199254740993,)"
                   R"( null, false, 1e3, {"$buffer": 0}, true], "shape": "arrays"})")["rows"];
  EXPECT_EQ(rows, json::array({json::array({text, -0.5, 9007199254740993LL, nullptr, 0, 1000.0,
                                            "blob", 1})}));
  // A lone surrogate, an integer past 2^64, an unknown key: the general reader decides.
  auto bad = Call("query", json::object());  // no sql at all
  ASSERT_FALSE(bad.has_value());
  binding_->Call({"query", R"({"sql":"SELECT ?","params":["\udc00"]})", {}}, {io, nullptr, "t"},
                 [&](Result<engine::BindingReply> reply) { out = std::move(reply); });
  ASSERT_FALSE(out->has_value());
  EXPECT_EQ(out->error().message(), "d1: malformed arguments");
  json big = call(R"({"sql":"SELECT ?","params":[18446744073709551616],"other":1})")["rows"];
  EXPECT_EQ(big[0][0], 18446744073709551616.0);
}

// shape "result" (all(), run(), first()): the D1Result itself, rows as objects (a table the
// engine builds), meta with served_by, keys in Cloudflare's order.
TEST_F(D1BindingTest, TheResultShapeIsTheD1Result) {
  auto r = Call("query", {{"sql", "SELECT id, name, id AS id FROM teams"}, {"shape", "result"}});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->json.substr(0, 46), R"({"success":true,"meta":{"served_by":"blaze","c)");
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_TRUE(r->rows[0].objects);
  json j = Ok(r);
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["results"], json::parse(R"([{"id": 1, "name": "Cubs"}])"));
  EXPECT_EQ(j["meta"]["rows_read"], 1);
  json batch =
      Ok(Call("batch", {{"statements", {{{"sql", "SELECT 1 AS one"}}}}, {"shape", "result"}}));
  EXPECT_EQ(batch[0]["results"], json::parse(R"([{"one": 1}])"));
  // "compact" (d1.js's all(), run(), first()): the meta's values only, the rows in table 0.
  auto compact = Call("query", {{"sql", "SELECT name FROM teams"}, {"shape", "compact"}});
  ASSERT_TRUE(compact.has_value());
  json meta = json::parse(compact->json);
  ASSERT_EQ(meta.size(), 7u);
  EXPECT_EQ(meta[0], 0);  // changed_db
  EXPECT_EQ(meta[4], 1);  // rows_read
  EXPECT_EQ(meta[6], j["meta"]["size_after"]);
  ASSERT_EQ(compact->rows.size(), 1u);
  EXPECT_EQ(testing::RowsJson(compact->rows[0]), json::parse(R"([{"name": "Cubs"}])"));
}

// Statements come from the connection's cache; each run still reports only its own scan.
TEST_F(D1BindingTest, ACachedStatementCountsOnlyItsOwnRowsRead) {
  Ok(Call("exec", {{"sql", "INSERT INTO teams (name) VALUES ('Reds'), ('Mets'), ('Cards')"}}));
  json first;
  for (int i = 0; i < 3; ++i) {
    json r = Ok(Call("query", {{"sql", "SELECT count(*) FROM teams WHERE logo IS NULL"}}));
    EXPECT_EQ(r["rows"][0][0], 4);
    if (i == 0) first = r["meta"]["rows_read"];
    EXPECT_GE(r["meta"]["rows_read"].get<int>(), 3);
    EXPECT_EQ(r["meta"]["rows_read"], first) << "run " << i;
  }
}

// size_after is remembered per connection while nothing writes; a write by another connection
// (another core, the CLI) shows in the next query's meta.
TEST_F(D1BindingTest, SizeAfterFollowsWritesFromOtherConnections) {
  json before = Ok(Call("query", {{"sql", "SELECT 1"}}));
  json again = Ok(Call("query", {{"sql", "SELECT 1"}}));
  EXPECT_EQ(before["meta"]["size_after"], again["meta"]["size_after"]);
  auto other = d1_->Connect(db_).value();
  ASSERT_TRUE(other->Exec("CREATE TABLE big (b); INSERT INTO big SELECT zeroblob(100000);")
                  .has_value());
  std::int64_t size = other->SizeBytes().value();
  json after = Ok(Call("query", {{"sql", "SELECT 1"}}));
  EXPECT_GT(size, before["meta"]["size_after"].get<std::int64_t>() + 90000);
  EXPECT_EQ(after["meta"]["size_after"], size);
  // The same for a statement that reads a table, once it has a size remembered.
  json read = Ok(Call("query", {{"sql", "SELECT count(*) FROM teams"}}));
  EXPECT_EQ(read["meta"]["size_after"], size);
  ASSERT_TRUE(other->Exec("INSERT INTO big SELECT zeroblob(100000);").has_value());
  std::int64_t bigger = other->SizeBytes().value();
  EXPECT_GT(bigger, size);
  json reread = Ok(Call("query", {{"sql", "SELECT count(*) FROM teams"}}));
  EXPECT_EQ(reread["meta"]["size_after"], bigger);
  json write = Ok(Call("query", {{"sql", "DELETE FROM big"}}));
  EXPECT_EQ(write["meta"]["size_after"], other->SizeBytes().value());
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
