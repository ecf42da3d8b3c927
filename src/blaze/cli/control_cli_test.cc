#include "blaze/cli/control_cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/testing/must.h"
#include "tests/testing/temp_dir.h"

namespace blaze::cli {
namespace {

using testing::ErrorOf;
using testing::Must;

constexpr const char* kToml = R"(name = "api"
main = "src/index.js"
compatibility_date = "2025-01-01"
[vars]
ENVIRONMENT = "dev"
[triggers]
crons = ["*/5 * * * *"]

[env.staging]
[env.staging.vars]
ENVIRONMENT = "staging"

[env.production]
[env.production.vars]
ENVIRONMENT = "production"
[[env.production.d1_databases]]
binding = "DB"
database_name = "blaze-db"
)";

// A project folder: wrangler.toml and src/ files.
class Project {
 public:
  Project(const std::string& toml, std::map<std::string, std::string> files) {
    std::ofstream(dir_.path() + "/wrangler.toml") << toml;
    for (const auto& [path, text] : files) {
      std::filesystem::create_directories(
          std::filesystem::path(dir_.path() + "/" + path).parent_path());
      std::ofstream(dir_.path() + "/" + path) << text;
    }
    ctx_.options().config = dir_.path() + "/wrangler.toml";
  }
  CliContext& ctx() { return ctx_; }

 private:
  testing::TempDir dir_;
  CliContext ctx_;
};

const std::map<std::string, std::string> kGoodFiles = {
    {"src/index.js",
     "import { word } from './word.js';\n"
     "export default { fetch(req, env) { return new Response(word + env.ENVIRONMENT); } };\n"},
    {"src/word.js", "export const word = 'hi ';\n"}};

TEST(BuildPackage, ProjectWithAnEnvironmentBecomesTheDeployBody) {
  Project p(kToml, kGoodFiles);
  Package pkg = Must(BuildPackage(p.ctx(), {"", "production"}));
  EXPECT_EQ(pkg.worker, "api-production");  // as wrangler names an environment's worker
  EXPECT_EQ(pkg.module_count, 2u);
  EXPECT_EQ(pkg.body["main_module"], "src/index.js");
  EXPECT_TRUE(pkg.body["modules"].contains("src/word.js"));
  const Json& config = pkg.body["config"];
  EXPECT_EQ(config["compatibility_date"], "2025-01-01");
  EXPECT_EQ(config["crons"], Json::array({"*/5 * * * *"}));  // inherited
  EXPECT_EQ(config["vars"][0]["value"], "production");
  EXPECT_EQ(config["bindings"]["d1_databases"][0]["database_name"], "blaze-db");

  std::ostringstream summary;
  PrintPackageSummary(summary, pkg);
  EXPECT_NE(summary.str().find("- D1 Databases:\n  - DB: blaze-db"), std::string::npos)
      << summary.str();
  EXPECT_NE(summary.str().find("  - ENVIRONMENT: \"production\""), std::string::npos);

  EXPECT_EQ(Must(BuildPackage(p.ctx(), {"", ""})).worker, "api");
  EXPECT_EQ(Must(BuildPackage(p.ctx(), {"other", "staging"})).worker, "other-staging");
}

TEST(BuildPackage, BadProjectsAreRefusedBeforeAnyRequest) {
  {
    Project p("name = \"api\"\n", kGoodFiles);
    Error e = ErrorOf(BuildPackage(p.ctx(), {}));
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(e.message().find("`main` is missing"), std::string::npos) << e.message();
  }
  {
    Project p("name = \"api\"\nmain = \"index.js\"\n",
              {{"index.js", "export default {\n  fetch() { return new Response('x') \n"}});
    Error e = ErrorOf(BuildPackage(p.ctx(), {}));
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(e.message().find("index.js:"), std::string::npos) << e.message();
  }
  {
    Project p("name = \"api\"\nmain = \"src/index.js\"\n[[hyperdrive]]\nbinding = \"HD\"\nid = \"x\"\n",
              kGoodFiles);
    Error e = ErrorOf(BuildPackage(p.ctx(), {}));
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(e.message().find("[[hyperdrive]]"), std::string::npos) << e.message();
  }
  {
    Project p(kToml, kGoodFiles);
    Error e = ErrorOf(BuildPackage(p.ctx(), {"", "nope"}));
    EXPECT_NE(e.message().find("No environment found in configuration with name \"nope\""),
              std::string::npos)
        << e.message();
  }
  {
    Project p("name = \"api\"\nmain = \"src/index.js\"\n[triggers]\ncrons = [\"61 * * * *\"]\n",
              kGoodFiles);
    Error e = ErrorOf(BuildPackage(p.ctx(), {}));
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(e.message().find("triggers.crons"), std::string::npos) << e.message();
  }
  {
    Project p("main = \"src/index.js\"\n", kGoodFiles);
    Error e = ErrorOf(BuildPackage(p.ctx(), {}));
    EXPECT_NE(e.message().find("name"), std::string::npos) << e.message();
  }
}

TEST(ResolveWorkerName, PositionalThenNameThenWranglerToml) {
  Project p(kToml, kGoodFiles);
  EXPECT_EQ(Must(ResolveWorkerName(p.ctx(), "given", {"flag", "staging"})), "given");
  EXPECT_EQ(Must(ResolveWorkerName(p.ctx(), "", {"flag", ""})), "flag");
  EXPECT_EQ(Must(ResolveWorkerName(p.ctx(), "", {"flag", "staging"})), "flag-staging");
  EXPECT_EQ(Must(ResolveWorkerName(p.ctx(), "", {"", "staging"})), "api-staging");
  EXPECT_EQ(Must(ResolveWorkerName(p.ctx(), "", {"", ""})), "api");
}

TEST(PrintDeployment, WranglersBlockWithVersionsAndShares) {
  Json d = {{"id", "d1"},
            {"created_at", "2025-11-08T10:00:00Z"},
            {"author", "ci"},
            {"source", "rollback"},
            {"message", "Rolling back due to errors"},
            {"versions",
             {{{"version_id", "v-a"}, {"percentage", 90}}, {{"version_id", "v-b"}, {"percentage", 10}}}}};
  std::map<std::string, Json> versions = {
      {"v-a", {{"id", "v-a"}, {"created_at", "2025-11-07T09:00:00Z"}, {"tag", ""}, {"message", "m"}}}};
  std::ostringstream out;
  PrintDeployment(out, d, versions);
  EXPECT_EQ(out.str(),
            "Created:     2025-11-08T10:00:00Z\n"
            "Author:      ci\n"
            "Source:      Rollback\n"
            "Message:     Rolling back due to errors\n"
            "Version(s):  (90%) v-a\n"
            "                 Created:  2025-11-07T09:00:00Z\n"
            "                     Tag:  -\n"
            "                 Message:  m\n"
            "             (10%) v-b\n");
}

TEST(ParseWatchWindow, SecondsAndMinutes) {
  EXPECT_EQ(Must(ParseWatchWindow("60s")), 60);
  EXPECT_EQ(Must(ParseWatchWindow("2m")), 120);
  EXPECT_EQ(Must(ParseWatchWindow("45")), 45);
  EXPECT_EQ(ErrorOf(ParseWatchWindow("1h")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(ParseWatchWindow("0s")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(ParseWatchWindow("s")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Percent(0.4), "40%");
  EXPECT_EQ(Percent(0), "0%");
  EXPECT_EQ(Percent(0.125), "12.5%");
}

}  // namespace
}  // namespace blaze::cli
