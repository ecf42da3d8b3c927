// CliContext: what every command shares — global options, the seams (Env, Clock, Random), the
// lazily opened D1, KV and R2 services of the data directory, the admin API client of a server,
// and the outcome that becomes the exit code.
// Built once in main and passed to each command's callback (no globals).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/cli/admin_client.h"
#include "blaze/config/wrangler_config.h"
#include "blaze/storage/d1/backup_store.h"
#include "blaze/storage/d1/d1_service.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/kv/kv_service.h"
#include "blaze/storage/r2/r2_service.h"

namespace blaze::cli {

struct GlobalOptions {
  std::string data_dir = ".blaze";
  std::string log_level = "warn";
  std::string config;  // -c/--config: wrangler.toml path (the first one given)
  std::vector<std::string> configs;  // every -c given (`blaze dev` runs several projects)
  std::string url;  // --url / $BLAZE_URL: the admin API of a `blaze serve` (empty: the default)
  // Run by a server's /api/v1/exec for a client elsewhere ($BLAZE_EXEC_REMOTE, admin/exec.h):
  // the data directory is the server's, so messages say "remote" and name no server path.
  bool for_remote_client = false;
};

// Whether resolving a name that the catalog does not hold yet creates it (writes) or not (reads).
enum class CreateMissing : bool { kNo, kYes };

class CliContext {
 public:
  CliContext();

  GlobalOptions& options() { return options_; }
  fs::Env& env() { return *env_; }
  const Clock& clock() { return clock_; }

  Result<d1::D1Service*> D1();
  Result<d1::BackupStore*> Backups();
  Result<kv::KvService*> Kv();
  Result<r2::R2Service*> R2();
  Result<std::optional<config::WranglerConfig>> Project();
  // The project with the environment `env` applied (none when empty); nullopt without a
  // wrangler.toml. Not cached.
  Result<std::optional<config::WranglerConfig>> ProjectFor(const std::string& env);

  // The admin API of the server --url / $BLAZE_URL names (default http://127.0.0.1:8788), with
  // the token of $BLAZE_API_TOKEN or <data-dir>/admin.token (admin_client.h).
  Result<AdminClient*> Admin();

  // A database named on the command line: a catalog name or id, or else a wrangler.toml
  // binding / database_name — which is created on first use, as `wrangler d1 ... --local` does.
  Result<d1::DatabaseInfo> ResolveDatabase(const std::string& name);
  // The migrations folder for `name` (wrangler.toml's migrations_dir, else ./migrations).
  Result<std::string> MigrationsDir(const std::string& name);

  // Runs a command body; its error is printed (as JSON when `json_errors`) and kept for the
  // exit code.
  void Run(const std::function<Status()>& body, bool json_errors = false);
  int exit_code() const { return exit_code_; }

 private:
  // `Service::Open` on the data directory with this context's seams, on first use.
  template <typename Options, typename Service>
  Result<Service*> OpenOnce(std::unique_ptr<Service>& service);

  GlobalOptions options_;
  std::unique_ptr<fs::Env> env_;
  SystemClock clock_;
  Random random_;
  std::unique_ptr<d1::D1Service> d1_;
  std::unique_ptr<d1::BackupStore> backups_;
  std::unique_ptr<kv::KvService> kv_;
  std::unique_ptr<r2::R2Service> r2_;
  std::unique_ptr<AdminClient> admin_;
  std::optional<std::optional<config::WranglerConfig>> project_;
  int exit_code_ = 0;
};

}  // namespace blaze::cli
