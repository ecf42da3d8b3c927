#include "blaze/admin/exec.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <set>

#include "blaze/admin/api_requests.h"
#include "blaze/admin/child_process.h"
#include "blaze/base/base64.h"

namespace blaze::admin {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxArgs = 4096;
constexpr std::size_t kMaxFiles = 64;

// The groups with a second level of verbs: `d1 backup list`, `kv key put`, `r2 object get`.
bool IsSubGroup(std::string_view top, std::string_view word) {
  if (top == "d1") return word == "backup" || word == "migrations";
  if (top == "kv") return word == "namespace" || word == "key" || word == "bulk";
  if (top == "r2") return word == "bucket" || word == "object";
  return false;
}

bool IsReadVerb(std::string_view leaf) {
  static constexpr std::array<std::string_view, 6> kRead = {"list",   "info",     "get",
                                                           "export", "versions", "download"};
  for (auto r : kRead) {
    if (leaf == r) return true;
  }
  return false;
}

// The global flag an argv element names, if any ("--data-dir", "--data-dir=x", "-cfile").
std::optional<std::string> GlobalFlag(std::string_view arg) {
  for (std::string_view flag : {"--data-dir", "--url", "--config"}) {
    if (arg == flag || (arg.size() > flag.size() && arg.substr(0, flag.size()) == flag &&
                        arg[flag.size()] == '=')) {
      return std::string(flag);
    }
  }
  // Short flags combine ("-yc FILE" is -y -c FILE): any short cluster holding a 'c' is refused.
  if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-' && arg.find('c') != std::string::npos) {
    return std::string("-c");
  }
  return std::nullopt;
}

// Whether `arg` is `path`, or "--flag=path".
bool Names(std::string_view arg, std::string_view path) {
  if (arg == path) return true;
  if (arg.size() > path.size() + 1 && arg[0] == '-' && arg.ends_with(path) &&
      arg[arg.size() - path.size() - 1] == '=') {
    return arg.find('=') == arg.size() - path.size() - 1;
  }
  return false;
}

std::string SafeBaseName(const std::string& path) {
  std::string base = fs::path(path).filename().string();
  if (base.empty() || base == "." || base == "..") return "file";
  return base;
}

Status WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Fail(Internal("cannot write the attached file to the exec directory"));
  ::chmod(path.c_str(), 0600);
  return Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Internal("cannot read the verb's output file"));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The private directory, removed with everything in it however the run ends.
class TempDir {
 public:
  static Result<TempDir> Create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "blaze-exec-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Fail(Internal("cannot create a temporary directory for the verb"));
    }
    return TempDir(pattern);
  }
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDir(const TempDir&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace

Result<ExecRequest> ParseExecRequest(const json& body) {
  BLAZE_TRY_VOID(CheckKeys(body, {"argv", "stdin", "files", "outputs"}, "exec"));
  ExecRequest out;
  auto argv = body.find("argv");
  if (argv == body.end() || !argv->is_array() || argv->empty()) {
    return Fail(InvalidArgument("argv must be a non-empty array of strings: [\"d1\", \"list\"]"));
  }
  if (argv->size() > kMaxArgs) return Fail(InvalidArgument("argv has too many elements"));
  bool after_dashes = false;
  for (const auto& a : *argv) {
    if (!a.is_string()) return Fail(InvalidArgument("argv must hold strings only"));
    std::string arg = a.get<std::string>();
    if (arg.find('\0') != std::string::npos) {
      return Fail(InvalidArgument("argv elements cannot contain NUL"));
    }
    if (!after_dashes && arg == "--remote") continue;  // the verb runs where the data is
    if (arg == "--") after_dashes = true;
    out.argv.push_back(std::move(arg));
  }
  BLAZE_TRY(auto stdin_text, OptionalString(body, "stdin"));
  if (stdin_text) {
    BLAZE_TRY(out.stdin_data, Base64DecodeStrict(*stdin_text, "stdin"));
  }
  auto names_an_arg = [&](const std::string& path) {
    for (const auto& arg : out.argv) {
      if (Names(arg, path)) return true;
    }
    return false;
  };
  if (auto files = body.find("files"); files != body.end() && !files->is_null()) {
    if (!files->is_object()) return Fail(InvalidArgument("files must be an object"));
    if (files->size() > kMaxFiles) return Fail(InvalidArgument("too many files"));
    for (const auto& [path, content] : files->items()) {
      if (!content.is_string()) {
        return Fail(InvalidArgument("files['" + path + "'] must be a base64 string"));
      }
      if (path.empty() || !names_an_arg(path)) {
        return Fail(InvalidArgument("files: '" + path + "' is not an element of argv"));
      }
      BLAZE_TRY(out.files[path],
                Base64DecodeStrict(content.get<std::string>(), "files['" + path + "']"));
    }
  }
  if (auto outputs = body.find("outputs"); outputs != body.end() && !outputs->is_null()) {
    if (!outputs->is_array()) return Fail(InvalidArgument("outputs must be an array of paths"));
    if (outputs->size() > kMaxFiles) return Fail(InvalidArgument("too many outputs"));
    for (const auto& o : *outputs) {
      if (!o.is_string()) return Fail(InvalidArgument("outputs must hold strings only"));
      std::string path = o.get<std::string>();
      if (path.empty() || !names_an_arg(path)) {
        return Fail(InvalidArgument("outputs: '" + path + "' is not an element of argv"));
      }
      out.outputs.push_back(std::move(path));
    }
  }
  return out;
}

Result<ExecVerb> ClassifyExec(const std::vector<std::string>& argv) {
  if (argv.empty()) return Fail(InvalidArgument("argv is empty"));
  const std::string& top = argv[0];
  if (top != "d1" && top != "kv" && top != "r2") {
    return Fail(InvalidArgument("exec runs the d1, kv and r2 verbs only (got '" + top + "')"));
  }
  for (const auto& arg : argv) {
    if (arg == "--") break;
    if (auto flag = GlobalFlag(arg)) {
      return Fail(InvalidArgument("the global flag " + *flag +
                                  " is not accepted by exec: the verb runs on the server's data "
                                  "directory and configuration"));
    }
  }
  // The verb path: the leading words before any flag.
  ExecVerb verb;
  std::vector<std::string> words;
  for (const auto& arg : argv) {
    if (arg.empty() || arg[0] == '-') break;
    words.push_back(arg);
    if (words.size() == 3) break;
  }
  std::size_t depth = words.size() >= 2 && IsSubGroup(top, words[1]) ? 3 : 2;
  bool complete = words.size() >= depth;
  std::size_t used = std::min(words.size(), depth);
  for (std::size_t i = 0; i < used; ++i) verb.path += (i ? " " : "") + words[i];
  // Anything that is not a complete verb path needs `deploy`: unknown argv can only fail.
  verb.scope =
      complete && IsReadVerb(words[depth - 1]) ? control::Scope::kRead : control::Scope::kDeploy;
  // `d1 execute --read-only` refuses any statement that would write: a read.
  if (complete && verb.path == "d1 execute") {
    for (const auto& arg : argv) {
      if (arg == "--") break;
      if (arg == "--read-only") verb.scope = control::Scope::kRead;
    }
  }
  verb.target = verb.path;
  if (complete && argv.size() > depth && !argv[depth].empty() && argv[depth][0] != '-') {
    verb.target += " " + argv[depth];
  }
  return verb;
}

Result<json> RunExec(const ExecRequest& request, const ExecSettings& settings) {
  BLAZE_TRY(TempDir dir, TempDir::Create());
  // Each distinct path gets its own subdirectory (keeping its base name: some verbs look at
  // the extension); an output that was also attached is the same file.
  std::map<std::string, std::string> local;  // path as given -> file in `dir`
  auto place = [&](const std::string& given) -> Result<std::string> {
    if (auto it = local.find(given); it != local.end()) return it->second;
    fs::path sub = fs::path(dir.path()) / ("f" + std::to_string(local.size()));
    std::error_code ec;
    fs::create_directory(sub, ec);
    if (ec) return Fail(Internal("cannot prepare the exec directory"));
    std::string file = (sub / SafeBaseName(given)).string();
    local[given] = file;
    return file;
  };
  for (const auto& [given, bytes] : request.files) {
    BLAZE_TRY(std::string file, place(given));
    BLAZE_TRY_VOID(WriteFile(file, bytes));
  }
  for (const auto& given : request.outputs) BLAZE_TRY_VOID(place(given));

  ChildOptions child;
  child.program = settings.blaze_binary;
  child.argv = {"blaze", "--data-dir", settings.data_dir};
  for (const auto& arg : request.argv) {
    std::string rewritten = arg;
    for (const auto& [given, file] : local) {
      if (arg == given) {
        rewritten = file;
        break;
      }
      if (Names(arg, given)) {
        rewritten = arg.substr(0, arg.size() - given.size()) + file;
        break;
      }
    }
    child.argv.push_back(std::move(rewritten));
  }
  child.cwd = dir.path();
  // BLAZE_* (a token, a server URL) must not turn the verb into a client of this server.
  child.env = EnvironmentWithout("BLAZE_");
  child.env.push_back("BLAZE_EXEC_REMOTE=1");  // its messages say "remote" (cli/context.h)
  child.stdin_data = request.stdin_data;
  child.timeout = settings.timeout;
  child.max_output_bytes = settings.max_output_bytes;
  child.cancelled = settings.cancelled;
  BLAZE_TRY(ChildResult ran, RunChild(child));

  // The client sees its own paths, not the private directory's (mkdtemp's random name makes
  // a false match in a verb's binary output practically impossible).
  for (const auto& [given, file] : local) {
    ReplaceAll(ran.out, file, given);
    ReplaceAll(ran.err, file, given);
  }
  std::size_t total = ran.out.size() + ran.err.size();
  json files = json::object();
  for (const auto& given : request.outputs) {
    const std::string& file = local[given];
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;  // the verb wrote nothing there
    auto size = fs::file_size(file, ec);
    if (ec) continue;
    total += size;
    if (total > settings.max_output_bytes) {
      return Fail(ResourceExhausted("the verb's outputs are over " +
                                    std::to_string(settings.max_output_bytes >> 20) + " MiB"));
    }
    BLAZE_TRY(std::string bytes, ReadFile(file));
    files[given] = Base64Encode(bytes);
  }
  return json{{"exit_code", ran.exit_code},
              {"stdout", Base64Encode(ran.out)},
              {"stderr", ran.err},
              {"files", std::move(files)}};
}

}  // namespace blaze::admin
