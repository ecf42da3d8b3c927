// /api/v1/exec over HTTP, running blaze_admin_fake_cli as the blaze binary.
#include <gtest/gtest.h>

#include <filesystem>

#include "blaze/admin/admin_test_fixture.h"
#include "blaze/base/base64.h"

namespace blaze::admin {
namespace {

json Decoded(const json& answer) {
  return json::parse(Must(Base64DecodeStrict(answer["stdout"].get<std::string>(), "stdout")));
}

TEST_F(ApiServerTest, ExecRunsTheVerbOnTheDataDirectory) {
  ::setenv("BLAZE_API_TOKEN", "must-not-leak", 1);
  Reply r = Call("POST", "/api/v1/exec",
                 {{"argv", {"d1", "execute", "DB", "--command", "SELECT 1", "--remote"}},
                  {"stdin", Base64Encode("piped input")}});
  ::unsetenv("BLAZE_API_TOKEN");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["exit_code"], 0);
  EXPECT_EQ(r.body["stderr"], "fake stderr\n");
  EXPECT_EQ(r.body["files"], json::object());
  json child = Decoded(r.body);
  EXPECT_EQ(child["argv"], json::parse(R"(["--data-dir", ")" + dir_.path() +
                                       R"(", "d1", "execute", "DB", "--command", "SELECT 1"])"));
  EXPECT_EQ(child["stdin"], "piped input");
  // BLAZE_* stays out of the child, but for the mark that it runs for a remote client.
  EXPECT_EQ(child["blaze_env"], json::array({"BLAZE_EXEC_REMOTE=1"}));
  std::string cwd = child["cwd"];
  EXPECT_TRUE(Contains(cwd, "blaze-exec-")) << cwd;
  EXPECT_FALSE(std::filesystem::exists(cwd));  // removed afterwards

  // A write: audited with the verb and the resource, never the SQL.
  Reply audit = Call("GET", "/api/v1/audit?action=exec");
  ASSERT_EQ(audit.body.size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body[0]["target"], "d1 execute DB");
  EXPECT_EQ(audit.body[0]["actor"], "admin");
  EXPECT_EQ(audit.body[0]["detail"]["exit_code"], 0);
  EXPECT_FALSE(Contains(audit.raw, "SELECT 1"));
}

TEST_F(ApiServerTest, ExecRoundTripsFilesAndOutputs) {
  Reply r = Call("POST", "/api/v1/exec",
                 {{"argv", {"d1", "export", "DB", "--file", "../in/schema.sql", "--output",
                            "out/dump.sql"}},
                  {"files", {{"../in/schema.sql", Base64Encode("CREATE TABLE t(x);")}}},
                  {"outputs", {"out/dump.sql"}}});
  ASSERT_EQ(r.status, 200) << r.raw;
  json child = Decoded(r.body);
  EXPECT_EQ(child["file"], "CREATE TABLE t(x);");
  // The child read the attached file and wrote the output under the private directory; what
  // it printed names the client's paths again, never the server's.
  std::vector<std::string> argv = child["argv"];
  std::string cwd = child["cwd"];
  EXPECT_EQ(argv[6], "../in/schema.sql");
  EXPECT_EQ(argv[8], "out/dump.sql");
  EXPECT_EQ(child["paths_under_cwd"], 2) << r.raw;
  EXPECT_EQ(Must(Base64DecodeStrict(r.body["files"]["out/dump.sql"].get<std::string>(), "f")),
            "exported\n");
  // A read verb: no audit record.
  EXPECT_EQ(Call("GET", "/api/v1/audit?action=exec").body.size(), 0u);
}

TEST_F(ApiServerTest, ExecAnswersTheVerbsExitCode) {
  Reply r = Call("POST", "/api/v1/exec", {{"argv", {"kv", "key", "put", "K", "--exit", "3"}}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["exit_code"], 3);
  Reply audit = Call("GET", "/api/v1/audit?action=exec");
  ASSERT_EQ(audit.body.size(), 1u);
  EXPECT_EQ(audit.body[0]["target"], "kv key put K");
  EXPECT_EQ(audit.body[0]["detail"]["exit_code"], 3);
}

TEST_F(ApiServerTest, ExecRefusesGlobalFlagsOtherVerbsAndStrayFiles) {
  for (json argv : {json{"d1", "list", "--data-dir", "/etc"}, json{"d1", "list", "--data-dir=/x"},
                    json{"d1", "list", "-c", "w.toml"}, json{"kv", "key", "list", "--url", "u"},
                    json{"serve"}, json{"deploy"}, json::array()}) {
    Reply r = Call("POST", "/api/v1/exec", {{"argv", argv}});
    EXPECT_EQ(r.status, 400) << argv.dump() << " " << r.raw;
    EXPECT_EQ(r.body["code"], "invalid_argument");
  }
  Reply stray = Call("POST", "/api/v1/exec",
                     {{"argv", {"d1", "list"}}, {"files", {{"x.sql", Base64Encode("x")}}}});
  EXPECT_EQ(stray.status, 400);
  EXPECT_TRUE(Contains(stray.body["error"], "'x.sql' is not an element of argv"));
  Reply bad64 = Call("POST", "/api/v1/exec", {{"argv", {"d1", "list"}}, {"stdin", "!!"}});
  EXPECT_EQ(bad64.status, 400);
}

TEST_F(ApiServerTest, ExecScopesReadVerbsAndWriteVerbs) {
  std::string reader = CreateToken("reader", {"read"});
  for (json argv : {json{"d1", "list"}, json{"kv", "key", "list", "--namespace-id", "n"},
                    json{"r2", "object", "versions", "b/k"}, json{"d1", "backup", "list", "DB"},
                    json{"d1", "migrations", "list", "DB"}, json{"d1", "info", "DB"},
                    json{"kv", "key", "get", "k"}, json{"d1", "backup", "download", "DB"}}) {
    Reply r = Call("POST", "/api/v1/exec", {{"argv", argv}}, reader);
    EXPECT_EQ(r.status, 200) << argv.dump() << " " << r.raw;
  }
  for (json argv : {json{"d1", "execute", "DB", "--command", "DELETE FROM t"},
                    json{"kv", "key", "put", "k", "v"}, json{"r2", "bucket", "create", "b"},
                    json{"d1", "--json", "list"}, json{"d1", "backup", "restore", "DB"}}) {
    Reply r = Call("POST", "/api/v1/exec", {{"argv", argv}}, reader);
    EXPECT_EQ(r.status, 403) << argv.dump();
    EXPECT_TRUE(Contains(r.body.value("error", ""), "'deploy'"));
  }
}

}  // namespace
}  // namespace blaze::admin
