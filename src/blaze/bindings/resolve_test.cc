#include "blaze/bindings/resolve.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

config::WranglerConfig Load(const blaze::testing::TempDir& dir, const std::string& toml) {
  std::ofstream(dir.path() + "/wrangler.toml") << toml;
  return config::LoadWranglerConfig(dir.path() + "/wrangler.toml").value();
}

constexpr const char* kD1Project = R"(
name = "api"
[[d1_databases]]
binding = "DB"
database_name = "scores"
database_id = "6f6a3c52-58f5-4a8e-9d0d-6c8f2a7f6a11"
)";

TEST(ResolveBindings, DevCreatesAMissingD1DatabaseWithTheConfiguredId) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path() + "/.blaze"});
  auto bindings = ResolveBindings(Load(dir, kD1Project), storage, {}).value();
  ASSERT_EQ(bindings.size(), 2u);
  EXPECT_EQ(bindings[0].name, "DB");
  EXPECT_EQ(bindings[0].kind, "d1");
  EXPECT_EQ(bindings[1].kind, "cache");
  auto db = storage.D1().value()->Find("scores").value();
  EXPECT_EQ(db.id, "6f6a3c52-58f5-4a8e-9d0d-6c8f2a7f6a11");
  // Resolving again binds the same database rather than creating another.
  ASSERT_TRUE(ResolveBindings(Load(dir, kD1Project), storage, {}).has_value());
  EXPECT_EQ(storage.D1().value()->List().value().size(), 1u);
}

TEST(ResolveBindings, WithoutCreateMissingAnAbsentDatabaseSaysHowToCreateIt) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto r = ResolveBindings(Load(dir, kD1Project), storage, {.create_missing = false});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("blaze d1 create scores"), std::string::npos);
}

TEST(ResolveBindings, ANameUsedTwiceIsRefused) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto r = ResolveBindings(Load(dir, std::string(kD1Project) + "[vars]\nDB = \"x\"\n"), storage, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("DB is used more than once"), std::string::npos);
}

TEST(ResolveBindings, ServiceBindingsNeedTheCallersFactory) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto r = ResolveBindings(Load(dir, "[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\n"),
                           storage, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
}

TEST(ResolveBindings, EveryWorkerGetsTheCacheApiWithNoNameOnEnv) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto bindings = ResolveBindings(Load(dir, "name = \"plain\"\n"), storage, {}).value();
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].name, "");
  EXPECT_EQ(bindings[0].kind, "cache");
  EXPECT_NE(bindings[0].service, nullptr);
}

TEST(ResolveBindings, AnalyticsDatasetsBindThroughStorage) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto bindings = ResolveBindings(
      Load(dir, "[[analytics_engine_datasets]]\nbinding = \"VITALS\"\ndataset = \"vitals\"\n"),
      storage, {}).value();
  ASSERT_EQ(bindings.size(), 2u);
  EXPECT_EQ(bindings[0].name, "VITALS");
  EXPECT_EQ(bindings[0].kind, "analytics");
  auto bad = ResolveBindings(
      Load(dir, "[[analytics_engine_datasets]]\nbinding = \"V\"\ndataset = \"no spaces\"\n"),
      storage, {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("binding V"), std::string::npos);
}

}  // namespace
}  // namespace blaze::bindings
