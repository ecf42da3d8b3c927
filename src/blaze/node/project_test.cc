#include "blaze/node/project.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/testing/temp_dir.h"

namespace blaze::node {
namespace {

void Write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

config::WranglerConfig Config(const testing::TempDir& dir, const std::string& toml) {
  Write(dir.path() + "/wrangler.toml", toml);
  return config::LoadWranglerConfig(dir.path() + "/wrangler.toml").value();
}

TEST(WorkerProject, CollectsEveryModuleUnderTheRootButNotNodeModulesOrHiddenFolders) {
  testing::TempDir dir;
  Write(dir.path() + "/src/index.js", "import { a } from './lib/a.js'; export default {};");
  Write(dir.path() + "/src/lib/a.js", "export { b as a } from '../../shared/b.js';");
  Write(dir.path() + "/shared/b.js", "export const b = 1;");
  Write(dir.path() + "/node_modules/x/index.js", "junk");
  Write(dir.path() + "/.blaze/cache.js", "junk");
  Write(dir.path() + "/README.md", "not a module");
  auto project = LoadWorkerProject(Config(dir, R"(
name = "api"
main = "./src/index.js"
compatibility_date = "2025-01-01"
[vars]
GREETING = "hi"
FLAGS = { beta = true }
[limits]
cpu_ms = 10
)")).value();
  EXPECT_EQ(project.source.main_module, "src/index.js");
  std::vector<std::string> paths;
  for (const auto& [path, text] : project.source.modules) paths.push_back(path);
  EXPECT_EQ(paths, (std::vector<std::string>{"shared/b.js", "src/index.js", "src/lib/a.js"}));
  EXPECT_EQ(project.config.name, "api");
  EXPECT_EQ(project.config.cpu_ms, 10);
  ASSERT_EQ(project.config.vars.size(), 2u);
  for (const auto& var : project.config.vars) {
    EXPECT_EQ(var.kind, var.name == "FLAGS" ? engine::WorkerVar::Kind::kJson
                                            : engine::WorkerVar::Kind::kText) << var.name;
  }
}

TEST(WorkerProject, DevVarsAddSecretsThatWinOverVars) {
  testing::TempDir dir;
  Write(dir.path() + "/index.js", "export default {};");
  Write(dir.path() + "/.dev.vars", "API_TOKEN=s3cret\nGREETING=from dev vars\n");
  auto project = LoadWorkerProject(Config(dir, R"(
name = "api"
main = "index.js"
[vars]
GREETING = "hi"
)")).value();
  std::map<std::string, std::string> vars;
  for (const auto& v : project.config.vars) vars[v.name] = v.value;
  EXPECT_EQ(vars, (std::map<std::string, std::string>{{"API_TOKEN", "s3cret"},
                                                      {"GREETING", "from dev vars"}}));
  Write(dir.path() + "/.dev.vars", "broken line\n");
  auto broken = LoadWorkerProject(Config(dir, "name = \"api\"\nmain = \"index.js\"\n"));
  ASSERT_FALSE(broken.has_value());
  EXPECT_NE(broken.error().message().find(".dev.vars:1: expected KEY=value"), std::string::npos);
}

TEST(WorkerProject, MissingMainIsExplained) {
  testing::TempDir dir;
  auto r = LoadWorkerProject(Config(dir, "name = \"api\"\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("`main` is missing"), std::string::npos);
  r = LoadWorkerProject(Config(dir, "name = \"api\"\nmain = \"nope.js\"\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  r = LoadWorkerProject(Config(dir, "name = \"api\"\nmain = \"../outside.js\"\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST(WorkerProject, FingerprintChangesWhenAModuleChanges) {
  testing::TempDir dir;
  Write(dir.path() + "/index.js", "export default {};");
  auto config = Config(dir, "name = \"api\"\nmain = \"index.js\"\n");
  std::string before = ProjectFingerprint(config).value();
  EXPECT_EQ(ProjectFingerprint(config).value(), before);
  Write(dir.path() + "/index.js", "export default { fetch() {} };");
  EXPECT_NE(ProjectFingerprint(config).value(), before);
}

}  // namespace
}  // namespace blaze::node
