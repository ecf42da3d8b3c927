#include "blaze/node/project.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "blaze/config/dotenv.h"

namespace blaze::node {
namespace {

namespace stdfs = std::filesystem;
constexpr std::uintmax_t kMaxSourceBytes = 10u << 20;

bool IsModuleFile(const stdfs::path& p) {
  auto ext = p.extension().string();
  return ext == ".js" || ext == ".mjs";
}

bool Skipped(const stdfs::path& dir) {
  std::string name = dir.filename().string();
  return name == "node_modules" || (!name.empty() && name[0] == '.');
}

// Calls `visit(relative_path, entry)` for every module file under `root`.
template <typename Visit>
Status WalkModules(const stdfs::path& root, Visit visit) {
  std::error_code ec;
  stdfs::recursive_directory_iterator it(root, ec), end;
  if (ec) return Fail(Unavailable("cannot read " + root.string() + ": " + ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) return Fail(Unavailable("cannot read " + root.string() + ": " + ec.message()));
    if (it->is_directory() && Skipped(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || !IsModuleFile(it->path())) continue;
    BLAZE_TRY_VOID(visit(stdfs::relative(it->path(), root).generic_string(), *it));
  }
  return Ok();
}

}  // namespace

Result<WorkerProject> LoadWorkerProject(const config::WranglerConfig& wrangler) {
  if (wrangler.main.empty()) {
    return Fail(InvalidArgument(wrangler.path + ": `main` is missing: name the worker's entry "
                                "module (main = \"src/index.js\")"));
  }
  auto main = engine::NormalizeModulePath(wrangler.main);
  if (!main) return Fail(InvalidArgument(wrangler.path + ": `main` must stay inside the project"));
  WorkerProject project;
  project.source.main_module = *main;
  std::uintmax_t total = 0;
  BLAZE_TRY_VOID(WalkModules(wrangler.dir, [&](const std::string& rel, const stdfs::directory_entry& e) -> Status {
    total += e.file_size();
    if (total > kMaxSourceBytes) {
      return Fail(ResourceExhausted("the worker's modules exceed 10 MB (Cloudflare's limit)"));
    }
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) return Fail(Unavailable("cannot read " + e.path().string()));
    project.source.modules[rel] = text.str();
    return Ok();
  }));
  if (!project.source.modules.contains(*main)) {
    return Fail(NotFound("main module " + wrangler.main + " not found in " + wrangler.dir));
  }
  engine::WorkerConfig& c = project.config;
  c.name = wrangler.name.empty() ? "worker" : wrangler.name;
  c.compatibility_date = wrangler.compatibility_date;
  for (const auto& v : wrangler.vars) {
    c.vars.push_back({v.name,
                      v.kind == config::Var::Kind::kText ? engine::WorkerVar::Kind::kText
                                                         : engine::WorkerVar::Kind::kJson,
                      v.value});
  }
  if (wrangler.cpu_ms) c.cpu_ms = *wrangler.cpu_ms;
  // .dev.vars: local secrets, as `wrangler dev` reads them; a name there wins over [vars].
  stdfs::path dev_vars = stdfs::path(wrangler.dir) / ".dev.vars";
  std::error_code ec;
  if (stdfs::exists(dev_vars, ec)) {
    std::ifstream in(dev_vars, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    BLAZE_TRY(auto secrets, config::ParseDotenv(text.str(), dev_vars.string()));
    for (auto& [name, value] : secrets) {
      std::erase_if(c.vars, [&](const engine::WorkerVar& v) { return v.name == name; });
      c.vars.push_back({name, engine::WorkerVar::Kind::kText, std::move(value)});
    }
  }
  return project;
}

Result<std::string> ProjectFingerprint(const config::WranglerConfig& wrangler) {
  std::ostringstream out;
  auto stamp = [&](const std::string& name, const stdfs::path& p) {
    std::error_code ec;
    auto size = stdfs::file_size(p, ec);
    auto time = stdfs::last_write_time(p, ec).time_since_epoch().count();
    out << name << ' ' << size << ' ' << time << '\n';
  };
  stamp("wrangler.toml", wrangler.path);
  stamp(".dev.vars", stdfs::path(wrangler.dir) / ".dev.vars");
  BLAZE_TRY_VOID(WalkModules(wrangler.dir, [&](const std::string& rel, const stdfs::directory_entry& e) -> Status {
    stamp(rel, e.path());
    return Ok();
  }));
  return out.str();
}

}  // namespace blaze::node
