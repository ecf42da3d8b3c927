#include "blaze/cli/remote_exec.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "blaze/base/base64.h"
#include "blaze/cli/admin_client.h"
#include "blaze/cli/output.h"
#include "blaze/storage/fs/env.h"

namespace blaze::cli {
namespace {

// Options of the d1/kv/r2 verbs that take a value (so the word after them is not a positional).
// `-f` takes one everywhere except `kv bulk delete`, where it is --force.
const std::set<std::string, std::less<>> kValueOptions = {
    "--command", "--file",        "--output",   "--table",       "--name",     "--backup-id",
    "--namespace-id", "--binding", "--path",    "--ttl",         "--expiration", "--metadata",
    "--prefix",  "--ct",          "--content-type", "--cd",      "--content-disposition",
    "--ce",      "--content-encoding", "--cl",  "--content-language", "--cc", "--cache-control",
    "-e",        "--expires",     "-s",         "--storage-class", "--version", "--key"};

// Values that are free text (kept whole by ScanInvocation, even when they look like options).
const std::set<std::string, std::less<>> kTextOptions = {"--command", "--metadata", "--name",
                                                         "--prefix", "--key"};

bool IsOptionName(const std::string& s) { return s.size() > 1 && s[0] == '-'; }

bool HasAny(const std::vector<std::string>& args, std::initializer_list<const char*> names) {
  for (const auto& a : args) {
    for (const char* n : names) {
      if (a == n) return true;
    }
  }
  return false;
}

// How many leading words name the verb: "d1 execute", "d1 backup create", "kv key put"...
std::size_t PathDepth(const std::vector<std::string>& args) {
  if (args.size() < 2) return args.size();
  const std::string& verb = args[0];
  const std::string& group = args[1];
  bool three = (verb == "d1" && (group == "backup" || group == "migrations")) ||
               (verb == "kv" && (group == "namespace" || group == "key" || group == "bulk")) ||
               verb == "r2";
  return std::min(args.size(), std::size_t(three ? 3 : 2));
}

std::string Joined(const std::vector<std::string>& args, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n && i < args.size(); ++i) out += (i ? " " : "") + args[i];
  return out;
}

// Indexes of the positional arguments after the verb's words.
std::vector<std::size_t> Positionals(const std::vector<std::string>& args, std::size_t depth,
                                     bool f_is_flag) {
  std::vector<std::size_t> out;
  for (std::size_t i = depth; i < args.size(); ++i) {
    if (IsOptionName(args[i])) {
      bool takes_value = kValueOptions.contains(args[i]) || (args[i] == "-f" && !f_is_flag);
      if (takes_value) ++i;
      continue;
    }
    out.push_back(i);
  }
  return out;
}

// The value after option `names` (first match), as an index.
std::optional<std::size_t> ValueOf(const std::vector<std::string>& args,
                                   std::initializer_list<const char*> names) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    for (const char* n : names) {
      if (args[i] == n) return i + 1;
    }
  }
  return std::nullopt;
}

Result<std::string> ReadLocal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(NotFound("cannot read " + path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Invocation ScanInvocation(const std::vector<std::string>& argv, const char* env_url,
                          const char* env_data_dir) {
  Invocation inv;
  if (env_url) inv.url = env_url;
  if (env_data_dir && *env_data_dir) inv.data_dir = env_data_dir;
  // `--opt=value` as two words (not inside the SQL of --command, which is kept whole).
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    bool after_text = i > 0 && kTextOptions.contains(argv[i - 1]);
    auto eq = a.find('=');
    if (!after_text && a.rfind("--", 0) == 0 && eq != std::string::npos && eq > 2) {
      tokens.push_back(a.substr(0, eq));
      tokens.push_back(a.substr(eq + 1));
    } else {
      tokens.push_back(a);
    }
  }
  bool config_seen = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    bool after_text = i > 0 && kTextOptions.contains(tokens[i - 1]);
    auto value = [&]() -> std::string { return i + 1 < tokens.size() ? tokens[++i] : ""; };
    if (after_text) {
      inv.args.push_back(t);
    } else if (t == "--url") {
      inv.url = value();
    } else if (t == "--data-dir") {
      inv.data_dir = value();
    } else if (t == "-c" || t == "--config") {
      std::string v = value();
      if (!config_seen) inv.config = v;
      config_seen = true;
    } else if (t == "--log-level") {
      value();
    } else if (t == "--remote") {
      inv.remote = true;
    } else {
      if (t == "--local") inv.local = true;
      if (t == "-h" || t == "--help") inv.help = true;
      if (t == "--json") inv.json = true;
      if (inv.verb.empty() && !IsOptionName(t)) inv.verb = t;
      inv.args.push_back(t);
    }
  }
  return inv;
}

bool GoesRemote(const Invocation& inv) {
  if (inv.verb != "d1" && inv.verb != "kv" && inv.verb != "r2") return false;
  if (inv.local || inv.help || (!inv.remote && inv.url.empty())) return false;
  const auto& a = inv.args;
  if (a.size() >= 3 && a[0] == "d1" && a[1] == "migrations" && a[2] == "create") return false;
  return true;
}

Result<ExecPlan> PlanExec(const std::vector<std::string>& args,
                          const config::WranglerConfig* project,
                          const std::function<bool(const std::string&)>& readable) {
  if (args.empty()) return Fail(InvalidArgument("no verb to run on the server"));
  ExecPlan plan;
  plan.argv = args;
  auto& av = plan.argv;
  const std::size_t depth = PathDepth(av);
  const std::string verb = Joined(av, depth);
  const bool f_is_flag = verb == "kv bulk delete";

  // What only the local wrangler.toml knows, resolved here: the server has no project.
  std::vector<std::size_t> pos = Positionals(av, depth, f_is_flag);
  if (project && av[0] == "d1" && verb != "d1 create" && verb != "d1 list" && !pos.empty()) {
    std::string& db = av[pos[0]];
    for (const auto& b : project->d1_databases) {
      if (b.binding == db) {
        db = b.database_name;
        break;
      }
    }
  }
  if (av[0] == "kv") {
    if (auto v = ValueOf(av, {"--binding"})) {
      std::string binding = av[*v];
      const config::KvBinding* found = nullptr;
      if (project) {
        for (const auto& b : project->kv_namespaces) {
          if (b.binding == binding) found = &b;
        }
      }
      if (!found) {
        return Fail(NotFound("A namespace with binding name \"" + binding +
                             "\" was not found in the configured \"kv_namespaces\"."));
      }
      bool preview = HasAny(av, {"--preview"});
      if (preview && found->preview_id.empty()) {
        return Fail(InvalidArgument("the binding " + binding + " has no preview_id"));
      }
      av[*v - 1] = "--namespace-id";
      av[*v] = preview ? found->preview_id : found->id;
      av.erase(std::remove(av.begin(), av.end(), std::string("--preview")), av.end());
    }
  }
  if (project && av[0] == "r2" && depth == 3 && av[1] == "object" && !pos.empty()) {
    std::string& first = av[pos[0]];
    bool with_key = verb == "r2 object put" || verb == "r2 object get" || verb == "r2 object delete";
    std::string bucket = with_key ? first.substr(0, first.find('/')) : first;
    for (const auto& b : project->r2_buckets) {
      if (b.binding == bucket && b.bucket_name != bucket) {
        first = b.bucket_name + first.substr(bucket.size());
        break;
      }
    }
  }

  // Files the verb writes: they come back in the answer.
  if (verb == "d1 backup download" && !ValueOf(av, {"--output"})) {
    if (auto id = ValueOf(av, {"--backup-id"})) {
      av.push_back("--output");
      av.push_back(av[*id] + ".sqlite3");
    }
  }
  std::set<std::size_t> output_at;
  if (auto v = ValueOf(av, {"--output"})) output_at.insert(*v);
  if (verb == "r2 object get") {
    if (auto v = ValueOf(av, {"-f", "--file"})) output_at.insert(*v);
  }
  for (std::size_t i : output_at) plan.outputs.push_back(av[i]);

  pos = Positionals(av, depth, f_is_flag);  // again: --preview may have gone
  // Local files the verb reads, attached (the server runs it on copies): the values of --file
  // (-f) and --path, and the file of `kv bulk put|get|delete`. Only these positions: an object
  // path or a key may well name a local file too.
  std::vector<std::size_t> input_at;
  if (verb != "r2 object get") {
    auto v = f_is_flag ? ValueOf(av, {"--file"}) : ValueOf(av, {"-f", "--file"});
    if (v) input_at.push_back(*v);
  }
  if (auto v = ValueOf(av, {"--path"}); v && av[0] == "kv") input_at.push_back(*v);
  if (av[0] == "kv" && depth == 3 && av[1] == "bulk" && !pos.empty()) input_at.push_back(pos[0]);
  for (std::size_t i : input_at) {
    if (!readable(av[i])) return Fail(NotFound("cannot read the local file " + av[i]));
    if (std::find(plan.inputs.begin(), plan.inputs.end(), av[i]) == plan.inputs.end()) {
      plan.inputs.push_back(av[i]);
    }
  }

  plan.reads_stdin = verb == "r2 object put" && HasAny(av, {"-p", "--pipe"});

  static const std::set<std::string, std::less<>> kConfirming = {
      "d1 delete", "d1 backup restore", "d1 backup delete", "kv namespace delete",
      "kv bulk delete", "r2 object purge"};
  if (kConfirming.contains(verb) && !HasAny(av, {"-y", "--yes", "--skip-confirmation", "--force"}) &&
      !(f_is_flag && HasAny(av, {"-f"}))) {
    plan.confirm = "About to run `blaze " + Joined(av, av.size()) + "` on the server. Ok to proceed?";
  }
  return plan;
}

Result<ExecAnswer> CallExec(AdminClient& admin, const ExecPlan& plan, const std::string* stdin_bytes) {
  Json body = {{"argv", plan.argv}};
  if (stdin_bytes) body["stdin"] = Base64Encode(*stdin_bytes);
  if (!plan.inputs.empty()) {
    Json files = Json::object();
    for (const auto& path : plan.inputs) {
      BLAZE_TRY(std::string bytes, ReadLocal(path));
      files[path] = Base64Encode(bytes);
    }
    body["files"] = std::move(files);
  }
  if (!plan.outputs.empty()) body["outputs"] = plan.outputs;
  BLAZE_TRY(Json answer, admin.Post("/api/v1/exec", body));
  if (!answer.is_object() || !answer.contains("exit_code") || !answer["exit_code"].is_number()) {
    return Fail(Internal("the server's answer to exec has no exit_code"));
  }
  ExecAnswer out;
  out.exit_code = answer["exit_code"].get<int>();
  if (answer.contains("stdout") && answer["stdout"].is_string()) {
    out.out = Base64DecodeLenient(answer["stdout"].get<std::string>());
  }
  if (answer.contains("stderr") && answer["stderr"].is_string()) {
    out.err = answer["stderr"].get<std::string>();
  }
  if (answer.contains("files") && answer["files"].is_object()) {
    for (const auto& path : plan.outputs) {
      auto it = answer["files"].find(path);
      if (it != answer["files"].end() && it->is_string()) {
        out.files[path] = Base64DecodeLenient(it->get<std::string>());
      }
    }
  }
  return out;
}

namespace {

bool ReadableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), R_OK) == 0;
}

Result<int> Execute(const Invocation& inv) {
  BLAZE_TRY(auto project, config::FindWranglerConfig(inv.config));
  const config::WranglerConfig* p = project ? &*project : nullptr;
  AdminClientOptions o;
  o.url = inv.url.empty() ? kDefaultAdminUrl : inv.url;
  o.token = ResolveApiToken(std::getenv("BLAZE_API_TOKEN"), inv.data_dir);
  BLAZE_TRY(AdminClient client, AdminClient::Create(std::move(o)));
  const auto& a = inv.args;
  if (a.size() >= 3 && a[0] == "d1" && a[1] == "migrations" && (a[2] == "list" || a[2] == "apply")) {
    return RunRemoteMigrations(client, a, p);
  }
  BLAZE_TRY(ExecPlan plan, PlanExec(a, p, ReadableFile));
  if (plan.confirm && !Confirm(*plan.confirm, AssumeYes::kNo)) {
    std::cout << "Not running.\n";
    return 0;
  }
  std::string in;
  if (plan.reads_stdin) in.assign(std::istreambuf_iterator<char>(std::cin), {});
  BLAZE_TRY(ExecAnswer answer, CallExec(client, plan, plan.reads_stdin ? &in : nullptr));
  // Only the outputs asked for are written: the server does not choose local paths.
  auto env = fs::NewPosixEnv();
  for (const auto& [path, bytes] : answer.files) {
    BLAZE_TRY_VOID(fs::WriteFileAtomically(*env, path, bytes));
  }
  std::cout.write(answer.out.data(), static_cast<std::streamsize>(answer.out.size()));
  std::cout.flush();
  std::cerr << answer.err;
  std::cerr.flush();
  return answer.exit_code;
}

}  // namespace

int RunRemote(const Invocation& inv) {
  auto code = Execute(inv);
  if (code.has_value()) return *code;
  if (inv.json) PrintJsonError(code.error());
  else PrintError(code.error().message());
  return code.error().exit_code();
}

}  // namespace blaze::cli
