// `blaze token create|list|revoke` and `blaze audit list`: API tokens and the audit log of a
// Blaze server (admin scope). A new token's secret is printed once, by `token create`; nothing
// else prints one.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "blaze/cli/commands.h"
#include "blaze/cli/control_cli.h"

namespace blaze::cli {
namespace {

std::string Joined(const Json& list) {
  std::string out;
  if (!list.is_array()) return "-";
  for (const auto& s : list) {
    if (s.is_string()) out += (out.empty() ? "" : ",") + s.get<std::string>();
  }
  return out.empty() ? "-" : out;
}

// "read,deploy" and repeated --scope, each checked against the four scopes.
Result<std::vector<std::string>> ParseScopes(const std::vector<std::string>& given) {
  std::vector<std::string> scopes;
  for (const auto& g : given) {
    std::stringstream in(g);
    std::string s;
    while (std::getline(in, s, ',')) {
      if (s.empty()) continue;
      if (s != "read" && s != "deploy" && s != "secrets" && s != "admin") {
        return Fail(InvalidArgument("unknown scope \"" + s +
                                    "\": scopes are read, deploy, secrets and admin"));
      }
      if (std::find(scopes.begin(), scopes.end(), s) == scopes.end()) scopes.push_back(s);
    }
  }
  if (scopes.empty()) {
    return Fail(InvalidArgument("give the token's scopes, e.g. --scope read,deploy (read, "
                                "deploy, secrets, admin)"));
  }
  return scopes;
}

void AddCreate(CLI::App& token, CliContext& ctx) {
  struct Opts {
    std::string name;
    std::vector<std::string> scopes;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = token.add_subcommand("create", "Create an API token (its secret is shown once)");
  cmd->add_option("name", o->name, "A name for the token (who the audit log says acted)")->required();
  cmd->add_option("--scope,--scopes", o->scopes, "read, deploy, secrets, admin (comma-separated)")
      ->required();
  cmd->add_flag("--json", o->json, "Print the token object, secret included, as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(auto scopes, ParseScopes(o->scopes));
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          BLAZE_TRY(Json t, admin->Post("/api/v1/tokens", {{"name", o->name}, {"scopes", scopes}}));
          if (o->json) {
            PrintJson(std::cout, t);
            return Ok();
          }
          std::cout << "✨ Created token " << Str(t, "name", o->name) << " (" << Str(t, "id", "-")
                    << ") with scopes " << Joined(t.value("scopes", Json::array())) << ".\n"
                    << "This is the only time its secret is shown; keep it somewhere safe (e.g. "
                       "as BLAZE_API_TOKEN in your CI's secrets):\n\n"
                    << Str(t, "token", "-") << "\n";
          return Ok();
        },
        o->json);
  });
}

void AddList(CLI::App& token, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = token.add_subcommand("list", "List API tokens (never their secrets)");
  cmd->add_flag("--json", *json, "Print the API's JSON");
  cmd->callback([&ctx, json] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          BLAZE_TRY(Json list, admin->Get("/api/v1/tokens"));
          if (*json) {
            PrintJson(std::cout, list);
            return Ok();
          }
          Table t{{"id", "name", "scopes", "created", "created by", "last used", "revoked"}, {}};
          for (const auto& k : list) {
            t.rows.push_back({Str(k, "id", "-"), Str(k, "name", "-"),
                              Joined(k.value("scopes", Json::array())), Str(k, "created_at", "-"),
                              Str(k, "created_by", "-"), Str(k, "last_used_at", "-"),
                              Str(k, "revoked_at", "-")});
          }
          PrintTable(std::cout, t);
          return Ok();
        },
        *json);
  });
}

void AddRevoke(CLI::App& token, CliContext& ctx) {
  struct Opts {
    std::string which;
    bool yes = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = token.add_subcommand("revoke", "Revoke an API token at once");
  cmd->add_option("token", o->which, "The token's id or name")->required();
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->add_flag("--json", o->json, "Print the revoked token as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          if (!Confirm("Revoke the API token " + o->which + "? Whatever uses it stops working.",
                       o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
            std::cout << "Not revoking.\n";
            return Ok();
          }
          BLAZE_TRY(Json t, admin->Delete("/api/v1/tokens/" + PathSegment(o->which)));
          if (o->json) PrintJson(std::cout, t);
          else std::cout << "Revoked token " << Str(t, "name", o->which) << " (" << Str(t, "id", "-") << ").\n";
          return Ok();
        },
        o->json);
  });
}

void AddAuditList(CLI::App& app, CliContext& ctx) {
  struct Opts {
    std::string worker;
    int limit = 50;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* audit = app.add_subcommand("audit", "The server's audit log: who changed what, when");
  audit->require_subcommand(1);
  auto* cmd = audit->add_subcommand("list", "List audit records, newest first");
  cmd->add_option("--worker", o->worker, "Only records about this worker");
  cmd->add_option("--limit", o->limit, "At most this many records")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the API's JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          if (o->limit <= 0) return Fail(InvalidArgument("--limit must be positive"));
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          std::string path = "/api/v1/audit?limit=" + std::to_string(o->limit);
          if (!o->worker.empty()) path += "&worker=" + PathSegment(o->worker);
          BLAZE_TRY(Json list, admin->Get(path));
          if (o->json) {
            PrintJson(std::cout, list);
            return Ok();
          }
          Table t{{"when", "who", "what", "target", "detail"}, {}};
          for (const auto& r : list) {
            std::string detail = "-";
            if (r.contains("detail") && r["detail"].is_object() && !r["detail"].empty()) {
              detail.clear();  // key=value, key=value
              for (const auto& [k, v] : r["detail"].items()) {
                detail += (detail.empty() ? "" : ", ") + k + "=" +
                          (v.is_string() ? v.get<std::string>() : v.dump());
              }
            } else if (r.contains("detail") && r["detail"].is_string()) {
              detail = r["detail"].get<std::string>();
            }
            t.rows.push_back({Str(r, "at", "-"), Str(r, "actor", "-"), Str(r, "action", "-"),
                              Str(r, "target", "-"), detail});
          }
          PrintTable(std::cout, t);
          return Ok();
        },
        o->json);
  });
}

}  // namespace

void AddTokenCommands(CLI::App& app, CliContext& ctx) {
  auto* token = app.add_subcommand("token", "Create, list and revoke API tokens of a Blaze server");
  token->require_subcommand(1);
  AddCreate(*token, ctx);
  AddList(*token, ctx);
  AddRevoke(*token, ctx);
  AddAuditList(app, ctx);
}

}  // namespace blaze::cli
