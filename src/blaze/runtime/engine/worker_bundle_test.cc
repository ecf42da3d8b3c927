#include "blaze/runtime/engine/worker_bundle.h"

#include <gtest/gtest.h>

#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

TEST(ModulePaths, ResolveRelativeToTheImportingModule) {
  EXPECT_EQ(ResolveModuleSpecifier("src/worker.js", "./lib/util.js"), "src/lib/util.js");
  EXPECT_EQ(ResolveModuleSpecifier("src/lib/util.js", "../x.js"), "src/x.js");
  EXPECT_EQ(ResolveModuleSpecifier("worker.js", "./a/./b/../c.js"), "a/c.js");
  EXPECT_EQ(ResolveModuleSpecifier("worker.js", "lib/util.js"), "lib/util.js");
  EXPECT_EQ(ResolveModuleSpecifier("worker.js", "../escape.js"), std::nullopt);
  EXPECT_EQ(NormalizeModulePath("/src/./w.js"), "src/w.js");
}

TEST(WorkerBundle, ReportsASyntaxErrorWithFileLineAndColumn) {
  testing::Harness h;
  auto result = h.engine->Compile({"worker.js", {
      {"worker.js", "import './lib.js';\nexport default {};"},
      {"lib.js", "const a = 1;\nconst b = ;\n"}}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message().rfind("lib.js:2:11: SyntaxError: ", 0), 0u)
      << result.error().message();
}

TEST(WorkerBundle, ReportsAMissingImportAtCompileTime) {
  testing::Harness h;
  auto result = h.engine->Compile({"worker.js", {
      {"worker.js", "import { x } from './nope.js';\nexport default {};"}}});
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message().find("Cannot find module './nope.js' imported from worker.js"),
            std::string::npos) << result.error().message();
}

TEST(WorkerBundle, RejectsAMissingMainModule) {
  testing::Harness h;
  auto result = h.engine->Compile({"main.js", {{"worker.js", "export default {};"}}});
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message().find("main module"), std::string::npos);
}

}  // namespace
}  // namespace blaze::engine
