#include "blaze/cli/context.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "blaze/cli/output.h"

namespace blaze::cli {

CliContext::CliContext() : env_(fs::NewPosixEnv()) {
  options_.for_remote_client = std::getenv("BLAZE_EXEC_REMOTE") != nullptr;
}

template <typename Options, typename Service>
Result<Service*> CliContext::OpenOnce(std::unique_ptr<Service>& service) {
  if (!service) {
    Options opts;
    opts.data_dir = options_.data_dir;
    opts.env = env_.get();
    opts.clock = &clock_;
    opts.random = &random_;
    BLAZE_TRY(service, Service::Open(opts));
  }
  return service.get();
}

Result<d1::D1Service*> CliContext::D1() { return OpenOnce<d1::D1Options>(d1_); }
Result<kv::KvService*> CliContext::Kv() { return OpenOnce<kv::KvOptions>(kv_); }
Result<r2::R2Service*> CliContext::R2() { return OpenOnce<r2::R2Options>(r2_); }

Result<d1::BackupStore*> CliContext::Backups() {
  if (!backups_) {
    BLAZE_TRY(d1::D1Service * d1, D1());
    backups_ = std::make_unique<d1::BackupStore>(*d1);
  }
  return backups_.get();
}

Result<std::optional<config::WranglerConfig>> CliContext::Project() {
  if (!project_) {
    BLAZE_TRY(auto config, config::FindWranglerConfig(options_.config));
    project_ = std::move(config);
  }
  return *project_;
}

Result<std::optional<config::WranglerConfig>> CliContext::ProjectFor(const std::string& env) {
  if (env.empty()) return Project();
  return config::FindWranglerConfig(options_.config, env);
}

Result<AdminClient*> CliContext::Admin() {
  if (!admin_) {
    AdminClientOptions o;
    o.url = options_.url.empty() ? kDefaultAdminUrl : options_.url;
    o.token = ResolveApiToken(std::getenv("BLAZE_API_TOKEN"), options_.data_dir);
    BLAZE_TRY(AdminClient client, AdminClient::Create(std::move(o)));
    admin_ = std::make_unique<AdminClient>(std::move(client));
  }
  return admin_.get();
}

Result<d1::DatabaseInfo> CliContext::ResolveDatabase(const std::string& name) {
  BLAZE_TRY(d1::D1Service * d1, D1());
  BLAZE_TRY(auto found, d1->Lookup(name));
  if (found) return *found;
  BLAZE_TRY(auto project, Project());
  const config::D1Binding* binding = project ? project->FindD1(name) : nullptr;
  if (!binding) return d1->Find(name);  // the NotFound error, with its hint
  return d1->FindOrCreate(binding->database_name, binding->database_id);
}

Result<std::string> CliContext::MigrationsDir(const std::string& name) {
  BLAZE_TRY(auto project, Project());
  if (project) {
    if (const config::D1Binding* b = project->FindD1(name)) {
      return (std::filesystem::path(project->dir) / b->migrations_dir).string();
    }
    return (std::filesystem::path(project->dir) / "migrations").string();
  }
  return std::string("migrations");
}

void CliContext::Run(const std::function<Status()>& body, bool json_errors) {
  Status s = body();
  if (s.has_value()) return;
  if (json_errors) PrintJsonError(s.error());
  else PrintError(s.error().message());
  exit_code_ = s.error().exit_code();
}

}  // namespace blaze::cli
