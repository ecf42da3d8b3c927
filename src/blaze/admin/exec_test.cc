#include "blaze/admin/exec.h"

#include <gtest/gtest.h>

#include "blaze/base/base64.h"

namespace blaze::admin {
namespace {

using control::Scope;
using nlohmann::json;

ExecVerb Classify(std::vector<std::string> argv) {
  auto r = ClassifyExec(argv);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  return r ? *r : ExecVerb{};
}

TEST(ExecTest, ReadVerbsNeedReadAndEverythingElseDeploy) {
  for (std::vector<std::string> argv : std::vector<std::vector<std::string>>{
           {"d1", "list"}, {"d1", "info", "DB"}, {"d1", "export", "DB", "--output", "x"},
           {"d1", "backup", "list", "DB"}, {"d1", "backup", "download", "DB", "ID"},
           {"d1", "migrations", "list", "DB"}, {"kv", "namespace", "list"},
           {"kv", "key", "list"}, {"kv", "key", "get", "k"}, {"kv", "bulk", "get", "f.json"},
           {"kv", "export"}, {"r2", "bucket", "list"}, {"r2", "object", "get", "b/k"},
           {"r2", "object", "list", "b"}, {"r2", "object", "versions", "b/k"}}) {
    EXPECT_EQ(Classify(argv).scope, Scope::kRead) << argv[1];
  }
  for (std::vector<std::string> argv : std::vector<std::vector<std::string>>{
           {"d1", "create", "DB"}, {"d1", "execute", "DB", "--command", "SELECT 1"},
           {"d1", "delete", "DB"}, {"d1", "backup", "restore", "DB", "ID"},
           {"d1", "migrations", "apply", "DB"}, {"kv", "key", "put", "k", "v"},
           {"kv", "bulk", "delete", "f"}, {"r2", "object", "put", "b/k"},
           {"r2", "bucket", "create", "b"}, {"d1"}, {"kv", "key"}, {"d1", "--json", "list"},
           {"kv", "key", "--namespace-id", "n", "delete", "k"}}) {
    EXPECT_EQ(Classify(argv).scope, Scope::kDeploy) << json(argv).dump();
  }
}

TEST(ExecTest, ReadOnlyExecuteIsARead) {
  EXPECT_EQ(Classify({"d1", "execute", "DB", "--command", "SELECT 1", "--read-only"}).scope,
            Scope::kRead);
  EXPECT_EQ(Classify({"d1", "execute", "--read-only", "DB"}).scope, Scope::kRead);
  // Not as a value after "--", nor on another verb.
  EXPECT_EQ(Classify({"d1", "execute", "DB", "--", "--read-only"}).scope, Scope::kDeploy);
  EXPECT_EQ(Classify({"d1", "create", "DB", "--read-only"}).scope, Scope::kDeploy);
  EXPECT_EQ(Classify({"kv", "key", "put", "k", "--read-only"}).scope, Scope::kDeploy);
}

TEST(ExecTest, TheAuditTargetIsTheVerbAndItsResourceOnly) {
  EXPECT_EQ(Classify({"d1", "execute", "DB", "--command", "DROP TABLE x"}).target,
            "d1 execute DB");
  EXPECT_EQ(Classify({"kv", "key", "put", "--namespace-id", "n", "k", "v"}).target, "kv key put");
  EXPECT_EQ(Classify({"r2", "object", "put", "b/k", "--file", "f"}).target, "r2 object put b/k");
  EXPECT_EQ(Classify({"d1", "execute", "DB"}).path, "d1 execute");
}

TEST(ExecTest, GlobalFlagsAndOtherVerbsAreRefused) {
  for (std::vector<std::string> argv : std::vector<std::vector<std::string>>{
           {"d1", "list", "--data-dir", "/"}, {"d1", "list", "--data-dir=/"},
           {"d1", "list", "--url", "http://x"}, {"d1", "list", "--url=http://x"},
           {"d1", "list", "-c", "w.toml"}, {"d1", "list", "-cw.toml"},
           {"d1", "list", "-yc", "w.toml"}, {"d1", "list", "--config", "w.toml"},
           {"d1", "list", "--config=w.toml"}, {"deploy"}, {"serve"}, {"analytics", "query"},
           {}}) {
    EXPECT_FALSE(ClassifyExec(argv).has_value()) << json(argv).dump();
  }
  // After "--" everything is an argument.
  EXPECT_TRUE(ClassifyExec({"kv", "key", "put", "--", "-c"}).has_value());
}

TEST(ExecTest, ParseDropsRemoteAndChecksFiles) {
  json body = {{"argv", {"d1", "execute", "DB", "--remote", "--file=q.sql"}},
               {"files", {{"q.sql", Base64Encode("SELECT 1")}}},
               {"stdin", Base64Encode("in")}};
  auto r = ParseExecRequest(body);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->argv, (std::vector<std::string>{"d1", "execute", "DB", "--file=q.sql"}));
  EXPECT_EQ(r->files.at("q.sql"), "SELECT 1");
  EXPECT_EQ(r->stdin_data, "in");

  EXPECT_FALSE(ParseExecRequest({{"argv", {"d1", "list"}}, {"outputs", {"x"}}}).has_value());
  EXPECT_FALSE(ParseExecRequest({{"argv", {"d1", 1}}}).has_value());
  EXPECT_FALSE(ParseExecRequest({{"argv", {"d1"}}, {"env", "x"}}).has_value());
}

}  // namespace
}  // namespace blaze::admin
