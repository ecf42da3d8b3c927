#include "blaze/config/wrangler_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/testing/must.h"
#include "tests/testing/temp_dir.h"

namespace blaze::config {
namespace {

std::string Write(const testing::TempDir& dir, const std::string& text) {
  std::string path = dir.path() + "/wrangler.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(WranglerConfig, ReadsD1BindingsAndMigrationsDir) {
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
  auto config = FindWranglerConfig(path).value();
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->name, "api");
  EXPECT_EQ(config->main, "src/index.js");
  ASSERT_EQ(config->d1_databases.size(), 2u);
  EXPECT_EQ(config->dir, dir.path());
  EXPECT_EQ(config->FindD1("DB")->database_name, "blaze-db");
  EXPECT_EQ(config->FindD1("blaze-db")->database_id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(config->FindD1("DB")->migrations_dir, "migrations");
  EXPECT_EQ(config->FindD1("DB_READ")->migrations_dir, "db/migrations");
  EXPECT_EQ(config->FindD1("nope"), nullptr);
}

TEST(WranglerConfig, ReadsKvR2ServiceAndAnalyticsBindings) {
  testing::TempDir dir;
  auto path = Write(dir, R"(
name = "gateway"
[[kv_namespaces]]
binding = "CACHE"
id = "0f2ac74b498b48028cb68387c421e279"
[[r2_buckets]]
binding = "MEDIA"
bucket_name = "sports-media"
[[services]]
binding = "AUTH"
service = "blaze-auth"
[[analytics_engine_datasets]]
binding = "VITALS"
[[analytics_engine_datasets]]
binding = "EVENTS"
dataset = "events_v2"
)");
  auto c = LoadWranglerConfig(path).value();
  ASSERT_EQ(c.kv_namespaces.size(), 1u);
  EXPECT_EQ(c.kv_namespaces[0].binding, "CACHE");
  EXPECT_EQ(c.kv_namespaces[0].id, "0f2ac74b498b48028cb68387c421e279");
  ASSERT_EQ(c.r2_buckets.size(), 1u);
  EXPECT_EQ(c.r2_buckets[0].bucket_name, "sports-media");
  ASSERT_EQ(c.services.size(), 1u);
  EXPECT_EQ(c.services[0].service, "blaze-auth");
  ASSERT_EQ(c.analytics_engine_datasets.size(), 2u);
  EXPECT_EQ(c.analytics_engine_datasets[0].dataset, "VITALS");  // defaults to the binding
  EXPECT_EQ(c.analytics_engine_datasets[1].dataset, "events_v2");
}

TEST(WranglerConfig, BindingsMissingTheirResourceAreRefusedByName) {
  testing::TempDir dir;
  auto kv = LoadWranglerConfig(Write(dir, "[[kv_namespaces]]\nbinding = \"KV\"\n"));
  ASSERT_FALSE(kv.has_value());
  EXPECT_NE(kv.error().message().find("binding KV has no `id`"), std::string::npos);
  auto r2 = LoadWranglerConfig(Write(dir, "[[r2_buckets]]\nbucket_name = \"b\"\n"));
  ASSERT_FALSE(r2.has_value());
  EXPECT_NE(r2.error().message().find("[[r2_buckets]] entry has no `binding`"), std::string::npos);
  auto svc = LoadWranglerConfig(Write(dir, "[[services]]\nbinding = \"A\"\nservice = 3\n"));
  ASSERT_FALSE(svc.has_value());
  EXPECT_NE(svc.error().message().find("`services.service` must be a string"), std::string::npos);
}

TEST(WranglerConfig, SyntaxErrorsNameTheLineAndColumn) {
  testing::TempDir dir;
  auto path = Write(dir, "name = \"api\"\n[[d1_databases]\nbinding = 1\n");
  auto r = LoadWranglerConfig(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("wrangler.toml:2:"), std::string::npos) << r.error().message();
}

TEST(WranglerConfig, BindingWithoutDatabaseNameIsRefused) {
  testing::TempDir dir;
  auto path = Write(dir, "[[d1_databases]]\nbinding = \"DB\"\n");
  auto r = LoadWranglerConfig(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("binding DB"), std::string::npos);
}

TEST(WranglerConfig, MissingExplicitFileIsNotFoundButNoDefaultFileIsFine) {
  testing::TempDir dir;
  auto r = LoadWranglerConfig(dir.path() + "/nope.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

TEST(WranglerConfig, VarsKeepStringsAsTextAndTurnTheRestIntoJson) {
  testing::TempDir dir;
  auto path = Write(dir, R"(
name = "api"
main = "index.js"
compatibility_date = "2025-01-01"
route = "example.com/api/*"
routes = ["a.example.com/*", { pattern = "b.example.com/x", zone_name = "example.com" }]

[vars]
GREETING = "hello"
LIMITS = { max = 3, names = ["a", "b"], on = true }

[limits]
cpu_ms = 20
)");
  auto c = LoadWranglerConfig(path).value();
  ASSERT_EQ(c.vars.size(), 2u);
  EXPECT_EQ(c.vars[0].name, "GREETING");
  EXPECT_EQ(c.vars[0].kind, Var::Kind::kText);
  EXPECT_EQ(c.vars[0].value, "hello");
  EXPECT_EQ(c.vars[1].kind, Var::Kind::kJson);
  EXPECT_EQ(c.vars[1].value, R"({"max":3,"names":["a","b"],"on":true})");
  EXPECT_EQ(c.cpu_ms, 20);
  EXPECT_EQ(c.compatibility_date, "2025-01-01");
  EXPECT_EQ(c.routes, (std::vector<std::string>{"example.com/api/*", "a.example.com/*",
                                                "b.example.com/x"}));
}

TEST(WranglerConfig, WrongTypesNameTheKey) {
  testing::TempDir dir;
  auto r = LoadWranglerConfig(Write(dir, "name = 3\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("`name` must be a string"), std::string::npos);
  r = LoadWranglerConfig(Write(dir, "name = \"x\"\n[limits]\ncpu_ms = -1\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("limits.cpu_ms"), std::string::npos);
}

constexpr const char* kEnvToml = R"(
name = "api"
main = "src/index.js"
compatibility_date = "2025-01-01"
routes = ["api.example.com/*"]
[triggers]
crons = ["*/5 * * * *"]
[limits]
cpu_ms = 50
[vars]
MODE = "dev"
[[d1_databases]]
binding = "DB"
database_name = "blaze-db"
[[kv_namespaces]]
binding = "CACHE"
id = "top"

[env.staging]
routes = ["staging.example.com/*"]
[env.staging.vars]
MODE = "staging"
[[env.staging.d1_databases]]
binding = "DB"
database_name = "blaze-db-staging"

[env.production]
name = "api-prod"
compatibility_date = "2025-06-01"
[env.production.triggers]
crons = ["0 2 * * *", "0 18 * * friL"]
[env.production.limits]
cpu_ms = 30
)";

TEST(WranglerConfig, EnvironmentsInheritTopLevelKeysButNotVarsOrBindings) {
  testing::TempDir dir;
  auto path = Write(dir, kEnvToml);
  auto top = LoadWranglerConfig(path).value();
  EXPECT_EQ(top.env, "");
  EXPECT_EQ(top.crons, (std::vector<std::string>{"*/5 * * * *"}));
  EXPECT_EQ(top.available_envs, (std::vector<std::string>{"production", "staging"}));

  auto staging = LoadWranglerConfig(path, "staging").value();
  EXPECT_EQ(staging.env, "staging");
  EXPECT_EQ(staging.name, "api-staging");
  // Inherited: main, compatibility_date, crons, cpu_ms. Replaced: routes.
  EXPECT_EQ(staging.main, "src/index.js");
  EXPECT_EQ(staging.compatibility_date, "2025-01-01");
  EXPECT_EQ(staging.crons, top.crons);
  EXPECT_EQ(staging.cpu_ms, 50);
  EXPECT_EQ(staging.routes, (std::vector<std::string>{"staging.example.com/*"}));
  ASSERT_EQ(staging.vars.size(), 1u);
  EXPECT_EQ(staging.vars[0].value, "staging");
  ASSERT_EQ(staging.d1_databases.size(), 1u);
  EXPECT_EQ(staging.d1_databases[0].database_name, "blaze-db-staging");
  EXPECT_TRUE(staging.kv_namespaces.empty());  // not inherited, and wrangler warns
  ASSERT_EQ(staging.warnings.size(), 1u);
  EXPECT_NE(staging.warnings[0].find("\"kv_namespaces\" exists at the top level, but not on "
                                     "\"env.staging\""),
            std::string::npos);

  auto prod = LoadWranglerConfig(path, "production").value();
  EXPECT_EQ(prod.name, "api-prod");  // its own name wins
  EXPECT_EQ(prod.compatibility_date, "2025-06-01");
  EXPECT_EQ(prod.routes, top.routes);
  EXPECT_EQ(prod.crons, (std::vector<std::string>{"0 2 * * *", "0 18 * * friL"}));
  EXPECT_EQ(prod.cpu_ms, 30);
  EXPECT_TRUE(prod.vars.empty());
  EXPECT_TRUE(prod.d1_databases.empty());
  EXPECT_EQ(prod.warnings.size(), 3u);  // vars, d1_databases, kv_namespaces
}

TEST(WranglerConfig, UnknownEnvironmentNamesTheAvailableOnes) {
  testing::TempDir dir;
  auto r = LoadWranglerConfig(Write(dir, kEnvToml), "prod");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("No environment found in configuration with name \"prod\""),
            std::string::npos)
      << r.error().message();
  EXPECT_NE(r.error().message().find("(available: production, staging)"), std::string::npos)
      << r.error().message();
  auto none = LoadWranglerConfig(Write(dir, "name = \"x\"\n"), "staging");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("has no [env.<name>] sections"), std::string::npos);
}

TEST(WranglerConfig, UnsupportedBindingTablesAreNotedAndRefusedForDeploy) {
  testing::TempDir dir;
  auto path = Write(dir, R"(name = "api"
main = "index.js"
[[hyperdrive]]
binding = "HD"
id = "x"
[[queues.producers]]
binding = "Q"
queue = "q"
[durable_objects]
bindings = [{ name = "DO", class_name = "Counter" }]
[ai]
binding = "AI"
[[d1_databases]]
binding = "DB"
database_name = "db"
[env.staging]
[[env.staging.vectorize]]
binding = "V"
index_name = "i"
)");
  auto top = LoadWranglerConfig(path).value();
  EXPECT_EQ(top.unsupported_bindings,
            (std::vector<std::string>{"[[durable_objects.bindings]]", "[[queues.producers]]",
                                      "[[hyperdrive]]", "[ai]"}));
  ASSERT_EQ(top.d1_databases.size(), 1u);  // the supported ones are read as before
  Status refused = RefuseUnsupportedBindings(top);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message().find("[[hyperdrive]]"), std::string::npos);
  EXPECT_NE(refused.error().message().find("[[queues.producers]]"), std::string::npos);
  EXPECT_NE(refused.error().message().find("Blaze does not support"), std::string::npos);

  // Bindings are not inherited: the environment has only its own.
  auto staging = LoadWranglerConfig(path, "staging").value();
  EXPECT_EQ(staging.unsupported_bindings, (std::vector<std::string>{"[[vectorize]]"}));
  EXPECT_NE(RefuseUnsupportedBindings(staging).error().message().find("[env.staging]"),
            std::string::npos);

  auto fine = LoadWranglerConfig(Write(dir, "name = \"x\"\n[queues]\n")).value();
  EXPECT_TRUE(fine.unsupported_bindings.empty());  // an empty [queues] binds nothing
  testing::MustOk(RefuseUnsupportedBindings(fine));
}

TEST(WranglerConfig, BadCronsAndEnvironmentKeysAreNamed) {
  testing::TempDir dir;
  auto r = LoadWranglerConfig(Write(dir, "[triggers]\ncrons = [\"0 25 * * *\"]\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("triggers.crons: invalid cron expression \"0 25 * * *\": "
                                     "hour 25 is out of range 0-23"),
            std::string::npos)
      << r.error().message();
  r = LoadWranglerConfig(Write(dir, "[triggers]\ncrons = \"* * * * *\"\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("`triggers.crons` must be an array"), std::string::npos);
  r = LoadWranglerConfig(Write(dir, "[env.staging]\nvars = 3\n"), "staging");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("[env.staging]: `vars` must be a table"), std::string::npos)
      << r.error().message();
}

}  // namespace
}  // namespace blaze::config
