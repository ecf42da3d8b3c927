// D1's SQL policy on real connections: what Cloudflare's D1 refuses is refused here too, with
// SQLite's "not authorized", and nothing it refuses leaves a file behind.
#include "blaze/storage/d1/sql_policy.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "blaze/storage/d1/d1_test_fixture.h"

namespace blaze::d1 {
namespace {

class SqlPolicyTest : public D1Fixture {
 protected:
  SqlPolicyTest() {
    CreateDatabase("db");
    Execute("db", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a');");
  }

  Error Refused(std::string_view sql) {
    auto r = TryExecute("db", sql);
    EXPECT_FALSE(r.has_value()) << sql;
    return r.has_value() ? Internal("it ran") : r.error();
  }

  std::string Outside(const std::string& name) const {
    return (std::filesystem::path(dir_.path()) / name).string();
  }
};

TEST_F(SqlPolicyTest, AttachAndVacuumIntoCannotWriteFilesOutsideTheDatabase) {
  for (const std::string& sql :
       {"ATTACH '" + Outside("evil.db") + "' AS a; CREATE TABLE a.t(x)",
        "ATTACH '" + Outside("e") + "' || '.db' AS a",
        "VACUUM INTO '" + Outside("copy.db") + "'"}) {
    Error e = Refused(sql);
    EXPECT_EQ(e.code(), ErrorCode::kPermissionDenied) << sql;
    // SQLite words it "not authorized", or for VACUUM INTO's ATTACH "authorization denied".
    EXPECT_TRUE(e.message().find("not authorized") != std::string::npos ||
                e.message().find("authorization denied") != std::string::npos)
        << e.message();
  }
  for (const char* name : {"evil.db", "e.db", "copy.db"}) {
    EXPECT_FALSE(std::filesystem::exists(Outside(name))) << name;
  }
  // A bound file name is refused too: the policy sees no literal.
  auto db = Connect("db");
  std::size_t used = 0;
  EXPECT_FALSE(db->PrepareNext("ATTACH ?1 AS a", &used).has_value());
  EXPECT_FALSE(db->PrepareNext("DETACH a", &used).has_value());
  // Plain VACUUM (its own temporary ATTACH) still works.
  EXPECT_EQ(Execute("db", "VACUUM").size(), 1u);
}

TEST_F(SqlPolicyTest, PragmasAreThoseD1Allows) {
  // Allowed, reading and setting (wrangler 4 answers all of these).
  auto rows = Query("db", "PRAGMA table_info(t)");
  EXPECT_EQ(rows.size(), 2u);
  for (const char* sql :
       {"PRAGMA table_list", "PRAGMA main.table_xinfo(t)", "PRAGMA index_list(t)",
        "PRAGMA foreign_key_check", "PRAGMA quick_check", "PRAGMA data_version", "PRAGMA optimize",
        "PRAGMA foreign_keys = OFF", "PRAGMA defer_foreign_keys = ON",
        "PRAGMA Case_Sensitive_Like = ON", "PRAGMA recursive_triggers = 1",
        "PRAGMA legacy_alter_table = ON", "PRAGMA reverse_unordered_selects = ON",
        "PRAGMA ignore_check_constraints = ON", "SELECT * FROM pragma_table_info('t')"}) {
    EXPECT_TRUE(TryExecute("db", sql).has_value()) << sql;
  }
  // Refused, as wrangler refuses them.
  for (const char* sql :
       {"PRAGMA journal_mode = DELETE", "PRAGMA journal_mode", "PRAGMA synchronous = OFF",
        "PRAGMA writable_schema = ON", "PRAGMA user_version = 3", "PRAGMA integrity_check",
        "PRAGMA foreign_key_list(t)", "PRAGMA query_only = ON", "PRAGMA page_size = 512",
        "PRAGMA cache_size = 1", "PRAGMA database_list", "PRAGMA wal_checkpoint(TRUNCATE)"}) {
    Error e = Refused(sql);
    EXPECT_NE(e.message().find("not authorized"), std::string::npos) << sql << ": " << e.message();
  }
  // The database kept its settings.
  EXPECT_EQ(QueryInt("db", "PRAGMA user_version"), 0);
}

TEST_F(SqlPolicyTest, BlazesOwnStatementsAreExemptButAUsersCopyIsNot) {
  auto db = Connect("db");
  // SizeBytes runs PRAGMA page_count and page_size, which users may not.
  EXPECT_GT(Must(db->SizeBytes()), 0);
  // The same text from a user is prepared (and refused) apart from Blaze's cached statement.
  auto user = db->Prepare("PRAGMA page_count");
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_GT(Must(db->SizeBytes()), 0);
  // After a schema change SQLite re-prepares Blaze's statement; it is still exempt.
  Execute("db", "CREATE TABLE u(x)");
  EXPECT_GT(Must(db->SizeBytes()), 0);
}

}  // namespace
}  // namespace blaze::d1
