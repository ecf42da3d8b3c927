#include <iostream>
#include <memory>

#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"

namespace blaze::cli {
namespace {

Json RecordJson(const d1::BackupRecord& r) {
  return {{"id", r.id},
          {"database_id", r.database_id},
          {"database_name", r.database_name},
          {"label", r.label},
          {"created_at", r.created_at},
          {"size", r.size},
          {"compressed_size", r.compressed_size},
          {"sha256", r.sha256}};
}

void PrintRecords(const std::vector<d1::BackupRecord>& records) {
  Table t{{"id", "label", "created_at", "size", "compressed_size"}, {}};
  for (const auto& r : records) {
    t.rows.push_back({r.id, r.label, r.created_at, HumanBytes(r.size), HumanBytes(r.compressed_size)});
  }
  PrintTable(std::cout, t);
}

// The backup `id`, which must have been taken of `database` (download and delete act only on
// a database's own backups; restore may take any, e.g. to fill a replica).
Result<d1::BackupRecord> OwnBackup(CliContext& ctx, const std::string& database,
                                   const std::string& id) {
  BLAZE_TRY(d1::BackupStore * store, ctx.Backups());
  BLAZE_TRY(auto record, store->Get(id));
  BLAZE_TRY(d1::D1Service * d1, ctx.D1());
  BLAZE_TRY(auto db, d1->Lookup(database));
  std::string name = db ? db->name : database;
  if (record.database_name != name) {
    return Fail(InvalidArgument("backup " + id + " belongs to database '" + record.database_name +
                                "', not '" + database + "'"));
  }
  return record;
}

struct Opts {
  std::string name, label, backup_id, output;
  bool json = false, yes = false;
};

void AddCreate(CLI::App& backup, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = backup.add_subcommand("create", "Take a backup now (online, consistent, compressed)");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_option("--name", o->label, "A label for the backup (default: manual)");
  cmd->add_flag("--json", o->json, "Print the backup record as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(auto db, ctx.ResolveDatabase(o->name));
      BLAZE_TRY(d1::BackupStore * store, ctx.Backups());
      BLAZE_TRY(auto record, store->Create(db.name, o->label.empty() ? "manual" : o->label));
      if (o->json) {
        PrintJson(std::cout, RecordJson(record));
        return Ok();
      }
      std::cout << "✅ Backup " << record.id << " of '" << db.name << "' created.\n";
      PrintRecords({record});
      return Ok();
    });
  });
}

void AddList(CLI::App& backup, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = backup.add_subcommand("list", "List a database's backups, newest first");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_flag("--json", o->json, "Print the backup records as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(d1::BackupStore * store, ctx.Backups());
      BLAZE_TRY(auto records, store->List(o->name));
      if (o->json) {
        Json out = Json::array();
        for (const auto& r : records) out.push_back(RecordJson(r));
        PrintJson(std::cout, out);
      } else {
        PrintRecords(records);
      }
      return Ok();
    });
  });
}

void AddRestore(CLI::App& backup, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = backup.add_subcommand(
      "restore", "Replace a database's contents with a backup (a safety backup is taken first)");
  cmd->add_option("name", o->name, "The database to restore into (created if missing)")->required();
  cmd->add_option("--backup-id", o->backup_id, "The backup's id")->required();
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->add_flag("--json", o->json, "Print the outcome as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(d1::BackupStore * store, ctx.Backups());
      BLAZE_TRY(auto record, store->Get(o->backup_id));
      if (!Confirm("Restoring '" + o->name + "' from backup " + record.id + " (" + record.label +
                       ", " + record.created_at + ") OVERWRITES its current data; a safety "
                       "backup is taken first. Ok to proceed?",
                   o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not restoring.\n";
        return Ok();
      }
      BLAZE_TRY(auto result, store->Restore(o->name, o->backup_id));
      if (o->json) {
        Json j = {{"database", o->name},
                  {"restored", RecordJson(result.restored)},
                  {"created_database", result.created_database},
                  {"safety_backup", nullptr}};
        if (result.safety_backup) j["safety_backup"] = RecordJson(*result.safety_backup);
        PrintJson(std::cout, j);
        return Ok();
      }
      if (result.safety_backup) {
        std::cout << "🛟 Safety backup " << result.safety_backup->id << " (" << result.safety_backup->label
                  << ") taken of the current state.\n";
      }
      if (result.created_database) std::cout << "✨ Created database '" << o->name << "'.\n";
      std::cout << "✅ Restored '" << o->name << "' from backup " << record.id << ".\n";
      return Ok();
    });
  });
}

void AddDownload(CLI::App& backup, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = backup.add_subcommand("download", "Write a backup as a plain SQLite file");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_option("--backup-id", o->backup_id, "The backup's id")->required();
  cmd->add_option("--output", o->output, "Where to write the SQLite file (default: <id>.sqlite3)");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(auto record, OwnBackup(ctx, o->name, o->backup_id));
      std::string output = o->output.empty() ? record.id + ".sqlite3" : o->output;
      BLAZE_TRY(d1::BackupStore * store, ctx.Backups());
      BLAZE_TRY_VOID(store->Download(record.id, output));
      std::cout << "✅ Wrote backup " << record.id << " to " << output << " ("
                << HumanBytes(record.size) << ").\n";
      return Ok();
    });
  });
}

void AddDelete(CLI::App& backup, CliContext& ctx) {
  auto o = std::make_shared<Opts>();
  auto* cmd = backup.add_subcommand("delete", "Delete a backup");
  cmd->add_option("name", o->name, "The database")->required();
  cmd->add_option("--backup-id", o->backup_id, "The backup's id")->required();
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(auto record, OwnBackup(ctx, o->name, o->backup_id));
      if (!Confirm("About to delete backup " + record.id + " (" + record.label + ", " +
                       record.created_at + "). Ok to proceed?",
                   o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not deleting.\n";
        return Ok();
      }
      BLAZE_TRY(d1::BackupStore * store, ctx.Backups());
      BLAZE_TRY_VOID(store->Delete(record.id));
      std::cout << "✅ Deleted backup " << record.id << ".\n";
      return Ok();
    });
  });
}

}  // namespace

void AddD1BackupCommands(CLI::App& d1, CliContext& ctx) {
  auto* backup = d1.add_subcommand("backup", "Back up and restore D1 databases");
  backup->require_subcommand(1);
  AddCreate(*backup, ctx);
  AddList(*backup, ctx);
  AddRestore(*backup, ctx);
  AddDownload(*backup, ctx);
  AddDelete(*backup, ctx);
}

}  // namespace blaze::cli
