// The d1, kv and r2 verbs against a server: when a verb is given --remote, or a server is named
// by --url / $BLAZE_URL (and --local is not given), main() hands the command line to
// RunRemote before CLI11 parses it. The verb runs on the server's data directory through
// `POST /api/v1/exec` (docs/admin-api.md) — the same code as locally, as a child process — and
// its stdout, stderr, output files and exit code come back as if it had run here.
//
// The client's part (PlanExec, pure): strip the global options the server refuses (--url,
// --data-dir, -c/--config, --log-level) and --remote; split `--opt=value`; resolve what only the
// local project knows (a wrangler.toml D1 binding becomes its database_name, `--binding B` of kv
// becomes `--namespace-id ID`, an R2 binding name becomes its bucket_name); attach the local
// files the verb reads (`files`: the values of --file/-f and --path, and the file of `kv bulk`
// verbs — only those positions, since an object path or key may name a local file too), name
// the paths the server writes back (`outputs`: --output,
// and --file of `r2 object get`); send stdin only to `r2 object put --pipe`; and ask on a
// terminal before a destructive verb, as the local verb would.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/cli/admin_client.h"
#include "blaze/config/wrangler_config.h"

namespace blaze::cli {

// argv[1..] read for what decides where a command runs.
struct Invocation {
  std::vector<std::string> args;  // without the global options below, --remote, and with
                                  // `--opt=value` split in two
  std::string verb;               // the first word: "d1", "kv", "r2", "deploy"...
  std::string url;                // --url, else $BLAZE_URL ("" when neither)
  std::string data_dir = ".blaze";  // --data-dir, else $BLAZE_DATA_DIR
  std::string config;             // -c/--config (the first)
  bool remote = false;            // --remote
  bool local = false;             // --local
  bool help = false;              // -h/--help
  bool json = false;              // --json (errors print as JSON)
};
Invocation ScanInvocation(const std::vector<std::string>& argv, const char* env_url,
                          const char* env_data_dir);

// Whether the command goes to a server: a d1/kv/r2 verb with --remote or a URL, without
// --local or --help; `d1 migrations create` (which writes a local file) stays local.
bool GoesRemote(const Invocation& inv);

// What `POST /api/v1/exec` is sent.
struct ExecPlan {
  std::vector<std::string> argv;
  std::vector<std::string> inputs;   // argv elements naming local files to attach
  std::vector<std::string> outputs;  // argv elements naming files the verb writes
  bool reads_stdin = false;
  std::optional<std::string> confirm;  // asked on a terminal first (a destructive verb, no -y)
};
// `readable` says whether a path names a local regular file the CLI can read.
Result<ExecPlan> PlanExec(const std::vector<std::string>& args,
                          const config::WranglerConfig* project,
                          const std::function<bool(const std::string&)>& readable);

// What the verb did on the server.
struct ExecAnswer {
  int exit_code = 0;
  std::string out;  // its stdout (bytes)
  std::string err;  // its stderr
  std::map<std::string, std::string> files;  // output path (as in the plan) -> bytes
};
// One `POST /api/v1/exec` of `plan`, with the input files read and attached.
Result<ExecAnswer> CallExec(AdminClient& admin, const ExecPlan& plan,
                            const std::string* stdin_bytes = nullptr);

// `d1 migrations list|apply DB` against a server (remote_migrations.cc): the migration files are
// local, so the CLI compares them with the server database's d1_migrations table and applies
// each pending one through `d1 execute --file`, its d1_migrations row in the same transaction,
// after a `d1 backup create` — what the local Migrator does. Returns the exit code.
Result<int> RunRemoteMigrations(AdminClient& admin, const std::vector<std::string>& args,
                                const config::WranglerConfig* project);

// The script `d1 execute --file` runs for one migration: its d1_migrations row, then the file.
std::string MigrationScript(const std::string& name, const std::string& sql,
                            const std::string& applied_at);

// Runs `inv` on the server and returns the exit code (errors are printed here).
int RunRemote(const Invocation& inv);

}  // namespace blaze::cli
