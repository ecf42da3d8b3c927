// `blaze secret put|list|delete`: a worker's secrets on a Blaze server. The value of `put` comes
// from standard input only — typed with echo off on a terminal, or piped — never from the
// command line, where it would stay in shell history and `ps`. Values are printed nowhere.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "blaze/cli/commands.h"
#include "blaze/cli/control_cli.h"

namespace blaze::cli {
namespace {

// The secret from standard input: on a terminal a prompt and one line read with echo off;
// otherwise everything, less one trailing newline (what `echo` adds).
Result<std::string> ReadSecretValue() {
  std::string value;
  if (::isatty(STDIN_FILENO)) {
    std::cerr << "Enter a secret value: " << std::flush;
    termios old{};
    bool restore = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    bool got = static_cast<bool>(std::getline(std::cin, value));
    if (restore) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    if (!got) return Fail(InvalidArgument("no secret value was entered"));
    return value;
  }
  value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  if (!value.empty() && value.back() == '\n') {
    value.pop_back();
    if (!value.empty() && value.back() == '\r') value.pop_back();
  }
  return value;
}

void AddPut(CLI::App& secret, CliContext& ctx) {
  struct Opts {
    std::string key;
    WorkerFlags flags;
    std::vector<std::string> extra;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = secret.add_subcommand(
      "put", "Create or replace a secret; the value is read from standard input");
  cmd->add_option("key", o->key, "The secret's name (as the worker sees it: env.NAME)")->required();
  AddWorkerFlags(*cmd, o->flags);
  // A value given as an argument is caught here and refused without being repeated (CLI11's
  // own "argument was not expected" error would print it).
  auto* value = cmd->add_option("value", o->extra, "(refused: the value is read from stdin)")
                    ->expected(0, -1)
                    ->group("");
  cmd->callback([&ctx, o, value] {
    ctx.Run([&]() -> Status {
      if (value->count() > 0) {
        return Fail(InvalidArgument(
            "`blaze secret put NAME` takes the value from standard input, never as an argument "
            "(it would stay in your shell history): type it at the prompt, or pipe it, e.g. "
            "`printf %s \"$VALUE\" | blaze secret put " + o->key + "`"));
      }
      BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, "", o->flags));
      BLAZE_TRY(AdminClient * admin, ctx.Admin());  // before the prompt: fail early
      BLAZE_TRY(std::string value, ReadSecretValue());
      std::cout << "🌀 Creating the secret for the Worker \"" << worker << "\"\n" << std::flush;
      BLAZE_TRY(Json answer, admin->Put(WorkerPath(worker, "/secrets/" + PathSegment(o->key)),
                                        Json{{"value", value}}));
      std::cout << "✨ Success! Uploaded secret " << o->key << "\n";
      if (answer.contains("deployment") && answer["deployment"].is_object()) {
        const Json& d = answer["deployment"];
        if (d.contains("versions") && d["versions"].is_array() && !d["versions"].empty()) {
          std::cout << "Current Version ID: " << Str(d["versions"][0], "version_id", "-") << "\n";
        }
      }
      return Ok();
    });
  });
}

void AddList(CLI::App& secret, CliContext& ctx) {
  struct Opts {
    WorkerFlags flags;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = secret.add_subcommand("list", "List a worker's secrets: names and update times");
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_flag("--json", o->json, "Print the API's JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, "", o->flags));
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          BLAZE_TRY(Json list, admin->Get(WorkerPath(worker, "/secrets")));
          if (o->json) {
            PrintJson(std::cout, list);
            return Ok();
          }
          if (!list.is_array() || list.empty()) {
            std::cout << "No secrets for " << worker << ".\n";
            return Ok();
          }
          Table t{{"Secret Name", "Updated"}, {}};
          for (const auto& s : list) t.rows.push_back({Str(s, "name", "-"), Str(s, "updated_at", "-")});
          PrintTable(std::cout, t);
          return Ok();
        },
        o->json);
  });
}

void AddDelete(CLI::App& secret, CliContext& ctx) {
  struct Opts {
    std::string key;
    WorkerFlags flags;
    bool yes = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = secret.add_subcommand("delete", "Delete a secret");
  cmd->add_option("key", o->key, "The secret's name")->required();
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, "", o->flags));
      BLAZE_TRY(AdminClient * admin, ctx.Admin());
      if (!Confirm("Are you sure you want to permanently delete the secret " + o->key +
                       " on the Worker " + worker + "?",
                   o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not deleting.\n";
        return Ok();
      }
      std::cout << "🌀 Deleting the secret " << o->key << " on the Worker " << worker << "\n";
      BLAZE_TRY_VOID(admin->Delete(WorkerPath(worker, "/secrets/" + PathSegment(o->key))));
      std::cout << "✨ Success! Deleted secret " << o->key << "\n";
      return Ok();
    });
  });
}

}  // namespace

void AddSecretCommands(CLI::App& app, CliContext& ctx) {
  auto* secret = app.add_subcommand("secret", "Put, list and delete a worker's secrets");
  secret->require_subcommand(1);
  AddPut(*secret, ctx);
  AddList(*secret, ctx);
  AddDelete(*secret, ctx);
}

}  // namespace blaze::cli
