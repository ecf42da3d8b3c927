#include "blaze/cli/remote_exec.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/testing/must.h"

namespace blaze::cli {
namespace {

using testing::ErrorOf;
using testing::Must;
using Args = std::vector<std::string>;

Invocation Scan(const Args& a, const char* url = nullptr, const char* data_dir = nullptr) {
  return ScanInvocation(a, url, data_dir);
}

// A fake file system: these paths are readable files.
std::function<bool(const std::string&)> Files(std::set<std::string> files) {
  return [files = std::move(files)](const std::string& p) { return files.contains(p); };
}

TEST(ScanInvocation, StripsGlobalOptionsWhereverTheyAre) {
  Invocation inv = Scan({"--url", "http://h:1", "d1", "execute", "DB", "--command", "SELECT 1",
                         "--data-dir", "/srv/d", "-c", "app/wrangler.toml", "--remote",
                         "--log-level", "debug"});
  EXPECT_EQ(inv.verb, "d1");
  EXPECT_EQ(inv.url, "http://h:1");
  EXPECT_EQ(inv.data_dir, "/srv/d");
  EXPECT_EQ(inv.config, "app/wrangler.toml");
  EXPECT_TRUE(inv.remote);
  EXPECT_EQ(inv.args, (Args{"d1", "execute", "DB", "--command", "SELECT 1"}));
  EXPECT_TRUE(GoesRemote(inv));
}

TEST(ScanInvocation, SplitsOptEqualsValueButNotInsideSql) {
  Invocation inv = Scan({"d1", "execute", "DB", "--file=migrations/0001_x.sql", "--url=http://h:2"});
  EXPECT_EQ(inv.args, (Args{"d1", "execute", "DB", "--file", "migrations/0001_x.sql"}));
  EXPECT_EQ(inv.url, "http://h:2");
  inv = Scan({"d1", "execute", "DB", "--command", "--url=x", "--remote"});
  EXPECT_EQ(inv.args, (Args{"d1", "execute", "DB", "--command", "--url=x"}));
  EXPECT_EQ(inv.url, "");
}

TEST(GoesRemote, WhenAServerIsNamedAndNotLocal) {
  EXPECT_FALSE(GoesRemote(Scan({"d1", "list"})));                      // the default: local
  EXPECT_TRUE(GoesRemote(Scan({"d1", "list", "--remote"})));           // the default URL
  EXPECT_TRUE(GoesRemote(Scan({"kv", "namespace", "list"}, "http://h:1")));  // $BLAZE_URL
  EXPECT_FALSE(GoesRemote(Scan({"r2", "bucket", "list", "--local"}, "http://h:1")));
  EXPECT_FALSE(GoesRemote(Scan({"d1", "list", "--remote", "--help"})));
  EXPECT_FALSE(GoesRemote(Scan({"deploy"}, "http://h:1")));  // not an exec verb
  EXPECT_FALSE(GoesRemote(Scan({"d1", "migrations", "create", "DB", "x"}, "http://h:1")));
  EXPECT_EQ(Scan({"d1", "list"}, nullptr, "/env/dir").data_dir, "/env/dir");
  EXPECT_EQ(Scan({"d1", "list", "--data-dir", "/flag"}, nullptr, "/env/dir").data_dir, "/flag");
}

TEST(PlanExec, AttachesTheFilesTheVerbReadsAndOnlyThose) {
  auto readable = Files({"seed.sql", "bulk.json", "logo.png", "media/logo.png", "DB"});
  ExecPlan p = Must(PlanExec({"d1", "execute", "DB", "--file", "seed.sql"}, nullptr, readable));
  EXPECT_EQ(p.inputs, (Args{"seed.sql"}));  // not "DB", although a file has that name
  EXPECT_TRUE(p.outputs.empty());
  EXPECT_FALSE(p.reads_stdin);
  p = Must(PlanExec({"kv", "bulk", "put", "bulk.json", "--namespace-id", "n1"}, nullptr, readable));
  EXPECT_EQ(p.inputs, (Args{"bulk.json"}));
  p = Must(PlanExec({"r2", "object", "put", "media/logo.png", "--file", "logo.png"}, nullptr, readable));
  EXPECT_EQ(p.inputs, (Args{"logo.png"}));  // the object path is not a file to send
  p = Must(PlanExec({"kv", "key", "put", "k", "--path", "logo.png", "--namespace-id", "n"}, nullptr,
                    readable));
  EXPECT_EQ(p.inputs, (Args{"logo.png"}));
  Error e = ErrorOf(PlanExec({"d1", "execute", "DB", "--file", "missing.sql"}, nullptr, readable));
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_NE(e.message().find("missing.sql"), std::string::npos);
}

TEST(PlanExec, NamesOutputsAndStdin) {
  auto none = Files({});
  ExecPlan p = Must(PlanExec({"d1", "export", "DB", "--output", "out.sql"}, nullptr, none));
  EXPECT_EQ(p.outputs, (Args{"out.sql"}));
  EXPECT_TRUE(p.inputs.empty());
  p = Must(PlanExec({"r2", "object", "get", "b/k", "--file", "k.bin"}, nullptr, none));
  EXPECT_EQ(p.outputs, (Args{"k.bin"}));
  p = Must(PlanExec({"d1", "backup", "download", "DB", "--backup-id", "b1"}, nullptr, none));
  EXPECT_EQ(p.argv, (Args{"d1", "backup", "download", "DB", "--backup-id", "b1", "--output",
                          "b1.sqlite3"}));  // the local default file name, written here
  EXPECT_EQ(p.outputs, (Args{"b1.sqlite3"}));
  p = Must(PlanExec({"r2", "object", "put", "b/k", "--pipe"}, nullptr, none));
  EXPECT_TRUE(p.reads_stdin);
  p = Must(PlanExec({"kv", "key", "put", "k", "v", "--namespace-id", "n"}, nullptr, none));
  EXPECT_FALSE(p.reads_stdin);
}

TEST(PlanExec, ResolvesWranglerTomlNamesTheServerCannotSee) {
  config::WranglerConfig project;
  project.d1_databases.push_back({"DB", "blaze-db", "", "migrations"});
  project.kv_namespaces.push_back({"CACHE", "ns-live", "ns-preview"});
  project.r2_buckets.push_back({"MEDIA", "media-prod"});
  auto none = Files({});
  ExecPlan p = Must(PlanExec({"d1", "execute", "DB", "--command", "SELECT 1"}, &project, none));
  EXPECT_EQ(p.argv, (Args{"d1", "execute", "blaze-db", "--command", "SELECT 1"}));
  p = Must(PlanExec({"d1", "backup", "create", "DB", "--name", "pre"}, &project, none));
  EXPECT_EQ(p.argv[3], "blaze-db");
  p = Must(PlanExec({"d1", "create", "DB"}, &project, none));  // a new name stays as given
  EXPECT_EQ(p.argv[2], "DB");
  p = Must(PlanExec({"kv", "key", "get", "k", "--binding", "CACHE", "--preview"}, &project, none));
  EXPECT_EQ(p.argv, (Args{"kv", "key", "get", "k", "--namespace-id", "ns-preview"}));
  p = Must(PlanExec({"r2", "object", "get", "MEDIA/a/b.png"}, &project, none));
  EXPECT_EQ(p.argv[3], "media-prod/a/b.png");
  p = Must(PlanExec({"r2", "object", "list", "MEDIA"}, &project, none));
  EXPECT_EQ(p.argv[3], "media-prod");
  Error e = ErrorOf(PlanExec({"kv", "key", "list", "--binding", "NOPE"}, &project, none));
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
}

TEST(PlanExec, AsksBeforeDestructiveVerbsUnlessToldYes) {
  auto none = Files({});
  EXPECT_TRUE(Must(PlanExec({"d1", "delete", "DB"}, nullptr, none)).confirm.has_value());
  EXPECT_FALSE(Must(PlanExec({"d1", "delete", "DB", "-y"}, nullptr, none)).confirm.has_value());
  EXPECT_FALSE(Must(PlanExec({"kv", "bulk", "delete", "keys.json", "-f", "--namespace-id", "n"},
                             nullptr, Files({"keys.json"})))
                   .confirm.has_value());
  EXPECT_FALSE(Must(PlanExec({"d1", "list"}, nullptr, none)).confirm.has_value());
}

TEST(MigrationScript, RecordsTheMigrationFirstSoTheFileKeepsItsTail) {
  // The row goes first: a file whose last statement has no ';' still ends the script, and the
  // row is rolled back with the file when any of it fails (execute --file is one transaction).
  EXPECT_EQ(MigrationScript("0002_it's.sql", "CREATE TABLE t(x)", "2025-11-08 10:00:00"),
            "INSERT INTO d1_migrations(name, applied_at) VALUES ('0002_it''s.sql', "
            "'2025-11-08 10:00:00');\nCREATE TABLE t(x)\n");
}

}  // namespace
}  // namespace blaze::cli
