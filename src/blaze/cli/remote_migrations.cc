// `blaze d1 migrations list|apply DB` against a server (remote_exec.h): the files are in the
// local project, the database is on the server. The steps are the local Migrator's — a backup
// first, then each pending file with its d1_migrations row in one transaction, stopping at the
// first failure — each done on the server through `d1 execute` and `d1 backup create`.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "blaze/base/clock.h"
#include "blaze/cli/output.h"
#include "blaze/cli/remote_exec.h"
#include "blaze/storage/d1/migrations.h"
#include "blaze/storage/fs/env.h"

namespace blaze::cli {
namespace {

std::string SqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// A verb run on the server whose failure is the command's: its stderr is shown.
Result<std::string> Run(AdminClient& admin, ExecPlan plan) {
  BLAZE_TRY(ExecAnswer a, CallExec(admin, plan));
  if (a.exit_code != 0) {
    std::string err = a.err;
    // With --json a verb reports its error on stdout, as wrangler's {"error": {"text": ...}}.
    if (auto j = Json::parse(a.out, nullptr, false); err.empty() && j.is_object() &&
                                                     j.contains("error") && j["error"].is_object()) {
      err = j["error"].value("text", "");
    }
    for (const char* prefix : {"✘ [ERROR] ", "\n"}) {
      if (err.rfind(prefix, 0) == 0) err.erase(0, std::string(prefix).size());
    }
    while (!err.empty() && err.back() == '\n') err.pop_back();
    // The code whose exit code the verb ended with, so this command ends with it too.
    ErrorCode code = ErrorCode::kInternal;
    for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
      if (InfoFor(static_cast<ErrorCode>(c)).exit_code == a.exit_code) code = static_cast<ErrorCode>(c);
    }
    return Fail(Error(code, err.empty() ? "the server's verb failed" : err));
  }
  return a.out;
}

// The rows of `d1 execute DB --command SQL --json --read-only`'s last statement (a read: the
// read scope will do).
Result<Json> Query(AdminClient& admin, const std::string& db, const std::string& sql) {
  BLAZE_TRY(std::string out,
            Run(admin, {{"d1", "execute", db, "--command", sql, "--json", "--read-only"},
                        {}, {}, false, {}}));
  Json j = Json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty()) {
    return Fail(Internal("the server's `d1 execute --json` printed something unexpected"));
  }
  return j.back()["results"];
}

Table NameTable(const char* header, const std::vector<d1::MigrationFile>& files) {
  Table t{{header}, {}};
  for (const auto& f : files) t.rows.push_back({f.name});
  return t;
}

}  // namespace

std::string MigrationScript(const std::string& name, const std::string& sql,
                            const std::string& applied_at) {
  return "INSERT INTO d1_migrations(name, applied_at) VALUES (" + SqlQuote(name) + ", " +
         SqlQuote(applied_at) + ");\n" + sql + "\n";
}

Result<int> RunRemoteMigrations(AdminClient& admin, const std::vector<std::string>& args,
                                const config::WranglerConfig* project) {
  const bool apply = args[2] == "apply";
  std::string name;
  bool json = false, yes = false;
  for (std::size_t i = 3; i < args.size(); ++i) {
    if (args[i] == "--json") json = true;
    else if (args[i] == "-y" || args[i] == "--yes") yes = true;
    else if (args[i] == "--local" || args[i] == "--remote") continue;
    else if (!args[i].empty() && args[i][0] == '-') {
      return Fail(InvalidArgument("unknown option " + args[i] + " for d1 migrations " + args[2]));
    } else if (name.empty()) name = args[i];
  }
  if (name.empty()) return Fail(InvalidArgument("name the database: blaze d1 migrations " + args[2] + " DB"));

  // As CliContext::MigrationsDir: the binding's migrations_dir, else <project>/migrations.
  std::string db = name, dir = "migrations";
  if (project) {
    dir = (std::filesystem::path(project->dir) / "migrations").string();
    if (const config::D1Binding* b = project->FindD1(name)) {
      db = b->database_name;
      dir = (std::filesystem::path(project->dir) / b->migrations_dir).string();
    }
  }
  auto env = fs::NewPosixEnv();
  BLAZE_TRY(auto files, d1::ListMigrationFiles(*env, dir));
  std::set<std::string> applied;
  BLAZE_TRY(Json exists, Query(admin, db,
                               "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'd1_migrations'"));
  if (exists.is_array() && !exists.empty() && exists[0].value("n", 0) > 0) {
    BLAZE_TRY(Json rows, Query(admin, db, "SELECT name FROM d1_migrations"));
    for (const auto& r : rows) {
      if (r.contains("name") && r["name"].is_string()) applied.insert(r["name"].get<std::string>());
    }
  }
  std::vector<d1::MigrationFile> pending;
  for (const auto& f : files) {
    if (!applied.contains(f.name)) pending.push_back(f);
  }

  if (!apply && json) {
    Json out = Json::array();
    for (const auto& f : pending) out.push_back({{"name", f.name}, {"path", f.path}});
    PrintJson(std::cout, out);
    return 0;
  }
  if (pending.empty()) {
    std::cout << "✅ No migrations to apply!\n";
    return 0;
  }
  std::cout << "Migrations to be applied:\n";
  PrintTable(std::cout, NameTable(apply ? "name" : "Name", pending));
  if (!apply) return 0;
  if (!Confirm("About to apply " + std::to_string(pending.size()) + " migration(s) to '" + db +
                   "' on the server (a backup is taken first). Continue?",
               yes ? AssumeYes::kYes : AssumeYes::kNo)) {
    std::cout << "Not applying.\n";
    return 0;
  }
  SystemClock clock;
  BLAZE_TRY(std::string backup_out,
            Run(admin, {{"d1", "backup", "create", db, "--name",
                         "pre-migrations-" + FormatIso8601(clock.Now()), "--json"},
                        {}, {}, false, {}}));
  Json backup = Json::parse(backup_out, nullptr, false);
  if (!backup.is_discarded() && backup.is_object()) {
    std::cout << "🛟 Backup " << backup.value("id", std::string("?")) << " ("
              << backup.value("label", std::string("?")) << ") taken before migrating.\n";
  }
  BLAZE_TRY_VOID(Run(admin, {{"d1", "execute", db, "--command", d1::kMigrationsTable}, {}, {}, false, {}}));

  char tmpl[] = "/tmp/blaze-migrations-XXXXXX";
  if (!::mkdtemp(tmpl)) return Fail(Unavailable("cannot make a temporary directory"));
  std::string tmp = tmpl;
  Table t{{"name", "status"}, {}};
  std::optional<Error> failed;
  for (const auto& f : pending) {
    if (failed) {
      t.rows.push_back({f.name, "🕒️"});
      continue;
    }
    auto step = [&]() -> Status {
      BLAZE_TRY(std::string sql, fs::ReadFile(*env, f.path));
      std::string script = tmp + "/" + f.name;
      BLAZE_TRY_VOID(fs::WriteFileAtomically(
          *env, script, MigrationScript(f.name, sql, FormatSqlTimestamp(clock.Now()))));
      BLAZE_TRY_VOID(Run(admin, {{"d1", "execute", db, "--file", script}, {script}, {}, false, {}}));
      return Ok();
    };
    Status s = step();
    if (s.has_value()) {
      t.rows.push_back({f.name, "✅"});
    } else {
      t.rows.push_back({f.name, "❌"});
      failed = s.error().WithContext("Migration " + f.name + " failed");
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  PrintTable(std::cout, t);
  if (failed) return Fail(*failed);
  return 0;
}

}  // namespace blaze::cli
