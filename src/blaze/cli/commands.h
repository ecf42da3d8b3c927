// Each file of commands adds its verbs to the CLI11 tree. Options live in shared structs owned
// by the callbacks; every callback runs its body through CliContext::Run, so errors are printed
// once and become the exit code of the error table.
#pragma once

#include <CLI/CLI.hpp>

#include "blaze/cli/context.h"

namespace blaze::cli {

// `blaze d1 ...`: create, list, info, delete, execute, export; and the two groups below.
void AddD1Commands(CLI::App& app, CliContext& ctx);
// `blaze d1 backup create|list|restore|download|delete`.
void AddD1BackupCommands(CLI::App& d1, CliContext& ctx);
// `blaze d1 migrations create|list|apply`.
void AddD1MigrationsCommands(CLI::App& d1, CliContext& ctx);
// `blaze r2 bucket ...` and `blaze r2 object ...` (r2_commands.cc).
void AddR2Commands(CLI::App& app, CliContext& ctx);

// `blaze kv namespace|key|bulk ...` and `blaze kv export`.
void AddKvCommands(CLI::App& app, CliContext& ctx);

// `blaze analytics query SQL [--json]`: Analytics Engine's SQL API on local datasets.
void AddAnalyticsCommands(CLI::App& app, CliContext& ctx);

// `blaze dev` and `blaze serve`: the long-running modes (node/).
void AddServeCommands(CLI::App& app, CliContext& ctx);

// `blaze deploy` (deploy_commands.cc).
void AddDeployCommands(CLI::App& app, CliContext& ctx);
// `blaze versions list|view|upload|deploy`, `deployments list|status`, `rollback`.
void AddVersionCommands(CLI::App& app, CliContext& ctx);
// `blaze secret put|list|delete`.
void AddSecretCommands(CLI::App& app, CliContext& ctx);
// `blaze token create|list|revoke` and `blaze audit list`.
void AddTokenCommands(CLI::App& app, CliContext& ctx);
// `blaze tail`: a deployed worker's live requests and logs (tail_commands.cc).
void AddTailCommands(CLI::App& app, CliContext& ctx);

// Adds --local (the default without a server URL) and --remote (run on the server at --url /
// $BLAZE_URL). A command that goes to a server never reaches CLI11 (remote_exec.h); one that
// does with --remote set also had --local, which RefuseRemote refuses.
void AddLocationFlags(CLI::App& cmd, bool* remote);
Status RefuseRemote(bool remote);

}  // namespace blaze::cli
