#include "blaze/cli/project_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/testing/temp_dir.h"

namespace blaze::cli {
namespace {

std::string Write(const testing::TempDir& dir, const std::string& text) {
  std::string path = dir.path() + "/wrangler.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(ProjectConfig, ReadsD1BindingsAndMigrationsDir) {
  testing::TempDir dir;
  auto path = Write(dir, R"(
name = "api"
main = "src/index.js"

[[d1_databases]]
binding = "DB"
database_name = "blaze-db"
database_id = "00000000-0000-4000-8000-000000000001"

[[d1_databases]]
binding = "DB_READ"
database_name = "blaze-db-replica"
migrations_dir = "db/migrations"
)");
  auto config = LoadProjectConfig(path).value();
  ASSERT_TRUE(config.has_value());
  ASSERT_EQ(config->d1_databases.size(), 2u);
  EXPECT_EQ(config->dir, dir.path());
  EXPECT_EQ(config->FindD1("DB")->database_name, "blaze-db");
  EXPECT_EQ(config->FindD1("blaze-db")->database_id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(config->FindD1("DB")->migrations_dir, "migrations");
  EXPECT_EQ(config->FindD1("DB_READ")->migrations_dir, "db/migrations");
  EXPECT_EQ(config->FindD1("nope"), nullptr);
}

TEST(ProjectConfig, SyntaxErrorsNameTheLineAndColumn) {
  testing::TempDir dir;
  auto path = Write(dir, "name = \"api\"\n[[d1_databases]\nbinding = 1\n");
  auto r = LoadProjectConfig(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("wrangler.toml:2:"), std::string::npos) << r.error().message();
}

TEST(ProjectConfig, BindingWithoutDatabaseNameIsRefused) {
  testing::TempDir dir;
  auto path = Write(dir, "[[d1_databases]]\nbinding = \"DB\"\n");
  auto r = LoadProjectConfig(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("binding DB"), std::string::npos);
}

TEST(ProjectConfig, MissingExplicitFileIsNotFoundButNoDefaultFileIsFine) {
  testing::TempDir dir;
  auto r = LoadProjectConfig(dir.path() + "/nope.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace blaze::cli
