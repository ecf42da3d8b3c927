#include <iostream>
#include <memory>

#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"
#include "blaze/storage/d1/migrations.h"

namespace blaze::cli {
namespace {

struct Opts {
  std::string name, message;
  bool yes = false, remote = false, json = false;
};

Table NameTable(const char* header, const std::vector<d1::MigrationFile>& files) {
  Table t{{header}, {}};
  for (const auto& f : files) t.rows.push_back({f.name});
  return t;
}

// What list and apply both start from: the database, its migrations folder, the pending files.
struct MigrationState {
  d1::DatabaseInfo db;
  std::string dir;
  d1::Migrator migrator;
  std::vector<d1::MigrationFile> pending;
};

Result<MigrationState> LoadState(CliContext& ctx, const Opts& o) {
  BLAZE_TRY_VOID(RefuseRemote(o.remote));
  BLAZE_TRY(auto db, ctx.ResolveDatabase(o.name));
  BLAZE_TRY(std::string dir, ctx.MigrationsDir(o.name));
  BLAZE_TRY(d1::D1Service * d1, ctx.D1());
  BLAZE_TRY(d1::BackupStore * backups, ctx.Backups());
  d1::Migrator migrator(*d1, *backups);
  BLAZE_TRY(auto pending, migrator.Pending(db.name, dir));
  return MigrationState{std::move(db), std::move(dir), migrator, std::move(pending)};
}

void AddCreate(CLI::App& migrations, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = migrations.add_subcommand("create", "Create a new, empty migration file");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_option("message", o->message, "What the migration does (becomes the file name)")->required();
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(std::string dir, ctx.MigrationsDir(o->name));
      BLAZE_TRY(auto file, d1::CreateMigrationFile(ctx.env(), dir, o->message, ctx.clock()));
      std::cout << "✅ Successfully created Migration '" << file.name << "'!\n"
                << "The migration is available for editing here\n"
                << file.path << "\n";
      return Ok();
    });
  });
}

void AddList(CLI::App& migrations, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = migrations.add_subcommand("list", "List the migrations not yet applied");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_flag("--json", o->json, "Print the pending migrations as JSON");
  AddLocationFlags(*cmd, &o->remote);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(auto state, LoadState(ctx, *o));
      const auto& pending = state.pending;
      if (o->json) {
        Json out = Json::array();
        for (const auto& f : pending) out.push_back({{"name", f.name}, {"path", f.path}});
        PrintJson(std::cout, out);
        return Ok();
      }
      if (pending.empty()) {
        std::cout << "✅ No migrations to apply!\n";
        return Ok();
      }
      std::cout << "Migrations to be applied:\n";
      PrintTable(std::cout, NameTable("Name", pending));
      return Ok();
    });
  });
}

void AddApply(CLI::App& migrations, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = migrations.add_subcommand(
      "apply", "Back up, then apply each pending migration in its own transaction");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  AddLocationFlags(*cmd, &o->remote);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(auto state, LoadState(ctx, *o));
      const auto& pending = state.pending;
      const auto& db = state.db;
      if (pending.empty()) {
        std::cout << "✅ No migrations to apply!\n";
        return Ok();
      }
      std::cout << "Migrations to be applied:\n";
      PrintTable(std::cout, NameTable("name", pending));
      if (!Confirm("About to apply " + std::to_string(pending.size()) +
                       " migration(s) to '" + db.name + "' (a backup is taken first). Continue?",
                   o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not applying.\n";
        return Ok();
      }
      BLAZE_TRY(auto report, state.migrator.Apply(db.name, state.dir));
      if (report.backup) {
        std::cout << "🛟 Backup " << report.backup->id << " (" << report.backup->label
                  << ") taken before migrating.\n";
      }
      Table t{{"name", "status"}, {}};
      for (const auto& f : report.pending) {
        bool applied = std::find(report.applied.begin(), report.applied.end(), f.name) !=
                       report.applied.end();
        std::string status = applied ? "✅" : (report.failed == f.name ? "❌" : "🕒️");
        t.rows.push_back({f.name, status});
      }
      PrintTable(std::cout, t);
      if (report.error) {
        return Fail(report.error->WithContext("Migration " + *report.failed + " failed"));
      }
      return Ok();
    });
  });
}

}  // namespace

void AddD1MigrationsCommands(CLI::App& d1, CliContext& ctx) {
  auto* migrations = d1.add_subcommand("migrations", "Create, list and apply schema migrations");
  migrations->require_subcommand(1);
  AddCreate(*migrations, ctx);
  AddList(*migrations, ctx);
  AddApply(*migrations, ctx);
}

}  // namespace blaze::cli
