#include <iostream>
#include <memory>

#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"
#include "blaze/storage/d1/executor.h"
#include "blaze/storage/d1/export.h"

namespace blaze::cli {
namespace {

Json InfoJson(const d1::DatabaseStats& s) {
  Json tables = Json::array();
  for (const auto& t : s.tables) tables.push_back({{"name", t.name}, {"rows", t.rows}});
  return {{"uuid", s.info.id},          {"name", s.info.name},
          {"created_at", s.info.created_at}, {"num_tables", s.tables.size()},
          {"file_size", s.file_size},   {"tables", tables}};
}

Json ResultJson(const d1::StatementResult& r) {
  Json rows = Json::array();
  for (const auto& row : r.rows) {
    Json obj = Json::object();
    for (std::size_t i = 0; i < row.size(); ++i) obj[r.columns[i]] = ToJson(row[i]);
    rows.push_back(std::move(obj));
  }
  const d1::StatementMeta& m = r.meta;
  return {{"results", rows},
          {"success", true},
          {"meta",
           {{"served_by", "blaze"},
            {"duration", m.duration_ms},
            {"changes", m.changes},
            {"last_row_id", m.last_row_id},
            {"changed_db", m.changed_db},
            {"size_after", m.size_after},
            {"rows_read", m.rows_read},
            {"rows_written", m.rows_written}}}};
}

void PrintResultTables(const std::vector<d1::StatementResult>& results) {
  for (const auto& r : results) {
    if (r.rows.empty()) continue;  // as wrangler: statements without rows print no table
    Table t{r.columns, {}};
    for (const auto& row : r.rows) {
      std::vector<std::string> cells;
      for (const auto& v : row) cells.push_back(CellText(v));
      t.rows.push_back(std::move(cells));
    }
    PrintTable(std::cout, t);
  }
}

// "local database NAME (ID) from DIR", or "remote database NAME (ID)" when a server runs the
// verb for a client (wrangler's words for --remote).
std::string DatabaseWhere(CliContext& ctx, const d1::DatabaseInfo& db) {
  std::string named = " database " + db.name + " (" + db.id + ")";
  if (ctx.options().for_remote_client) return "remote" + named;
  return "local" + named + " from " + fs::JoinPath(ctx.options().data_dir, "d1");
}

void AddCreate(CLI::App& d1, CliContext& ctx) {
  struct Opts {
    std::string name;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = d1.add_subcommand("create", "Create a new D1 database");
  cmd->add_option("name", o->name, "The name of the new database")->required();
  cmd->add_flag("--json", o->json, "Print the new database as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(d1::D1Service * d1, ctx.D1());
      BLAZE_TRY(auto info, d1->Create(o->name));
      if (o->json) {
        PrintJson(std::cout, {{"uuid", info.id}, {"name", info.name}, {"created_at", info.created_at}});
        return Ok();
      }
      std::cout << "✅ Successfully created DB '" << info.name << "'\n\n"
                << "Add it to your wrangler.toml to use it from a worker:\n\n"
                << "[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"" << info.name
                << "\"\ndatabase_id = \"" << info.id << "\"\n";
      return Ok();
    });
  });
}

void AddList(CLI::App& d1, CliContext& ctx) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = d1.add_subcommand("list", "List D1 databases");
  cmd->add_flag("--json", *json, "Print the databases as JSON");
  cmd->callback([&ctx, json] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(d1::D1Service * d1, ctx.D1());
      BLAZE_TRY(auto dbs, d1->List());
      Json out = Json::array();
      Table t{{"uuid", "name", "created_at", "num_tables", "file_size"}, {}};
      for (const auto& db : dbs) {
        BLAZE_TRY(auto stats, d1->Info(db.id));
        Json j = InfoJson(stats);
        j.erase("tables");
        out.push_back(j);
        t.rows.push_back({db.id, db.name, db.created_at, std::to_string(stats.tables.size()),
                          HumanBytes(stats.file_size)});
      }
      if (*json) PrintJson(std::cout, out);
      else PrintTable(std::cout, t);
      return Ok();
    });
  });
}

void AddInfo(CLI::App& d1, CliContext& ctx) {
  struct Opts {
    std::string name;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = d1.add_subcommand("info", "Show a database's size, tables and row counts");
  cmd->add_option("name", o->name, "The database's name or id")->required();
  cmd->add_flag("--json", o->json, "Print as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(d1::D1Service * d1, ctx.D1());
      BLAZE_TRY(auto db, ctx.ResolveDatabase(o->name));
      BLAZE_TRY(auto stats, d1->Info(db.id));
      if (o->json) {
        PrintJson(std::cout, InfoJson(stats));
        return Ok();
      }
      PrintTable(std::cout, {{"", db.name},
                             {{"uuid", db.id},
                              {"created_at", db.created_at},
                              {"num_tables", std::to_string(stats.tables.size())},
                              {"file_size", HumanBytes(stats.file_size)}}});
      if (!stats.tables.empty()) {
        Table t{{"table", "rows"}, {}};
        for (const auto& tb : stats.tables) t.rows.push_back({tb.name, std::to_string(tb.rows)});
        PrintTable(std::cout, t);
      }
      return Ok();
    });
  });
}

void AddDelete(CLI::App& d1, CliContext& ctx) {
  struct Opts {
    std::string name;
    bool yes = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = d1.add_subcommand("delete", "Delete a D1 database (its backups are kept)");
  cmd->add_option("name", o->name, "The database's name or id")->required();
  cmd->add_flag("-y,--yes,--skip-confirmation", o->yes, "Do not ask for confirmation");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(d1::D1Service * d1, ctx.D1());
      BLAZE_TRY(auto db, d1->Find(o->name));
      if (!Confirm("About to delete DB '" + db.name + "' (" + db.id + "). Ok to proceed?",
                   o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not deleting.\n";
        return Ok();
      }
      BLAZE_TRY_VOID(d1->Delete(db.id));
      std::cout << "✅ Deleted '" << db.name << "' successfully.\n";
      return Ok();
    });
  });
}

void AddExecute(CLI::App& d1, CliContext& ctx) {
  struct Opts {
    std::string name, command, file;
    bool json = false, yes = false, remote = false, read_only = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = d1.add_subcommand("execute", "Execute SQL against a D1 database");
  cmd->add_option("name", o->name, "The database's name, id or wrangler.toml binding")->required();
  auto* command = cmd->add_option("--command", o->command, "The SQL to run");
  auto* file = cmd->add_option("--file", o->file, "A file of SQL statements, run in one transaction");
  command->excludes(file);
  cmd->add_flag("--json", o->json, "Print the results as JSON");
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->add_flag("--read-only", o->read_only,
                "Refuse any statement that would change the database (one read transaction; "
                "on a server, a token with the read scope may run it)");
  AddLocationFlags(*cmd, &o->remote);
  cmd->callback([&ctx, o, command, file] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY_VOID(RefuseRemote(o->remote));
          if (command->count() == 0 && file->count() == 0) {
            return Fail(InvalidArgument("give the SQL with --command \"...\" or --file FILE"));
          }
          std::string sql = o->command;
          if (file->count()) {
            BLAZE_TRY(sql, fs::ReadFile(ctx.env(), o->file));
          }
          BLAZE_TRY(d1::D1Service * d1, ctx.D1());
          BLAZE_TRY(auto db, ctx.ResolveDatabase(o->name));
          BLAZE_TRY(auto conn, d1->Connect(db));
          if (!o->json) {
            std::cout << "🌀 Executing on " << DatabaseWhere(ctx, db) << ":\n";
          }
          BLAZE_TRY(auto results,
                    d1::ExecuteScript(*conn, sql, ctx.clock(),
                                      o->read_only ? d1::TransactionMode::kReadOnly
                                                   : d1::TransactionMode::kOwnTransaction));
          if (o->json) {
            Json out = Json::array();
            for (const auto& r : results) out.push_back(ResultJson(r));
            PrintJson(std::cout, out);
            return Ok();
          }
          std::cout << "🚣 " << results.size()
                    << (results.size() == 1 ? " command" : " commands")
                    << " executed successfully.\n";
          PrintResultTables(results);
          return Ok();
        },
        o->json);
  });
}

void AddExport(CLI::App& d1, CliContext& ctx) {
  struct Opts {
    std::string name, output;
    std::vector<std::string> tables;
    bool no_schema = false, no_data = false, remote = false, yes = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = d1.add_subcommand("export", "Export a database's schema and data as SQL");
  cmd->add_option("name", o->name, "The database's name, id or wrangler.toml binding")->required();
  cmd->add_option("--output", o->output, "The SQL file to write")->required();
  cmd->add_option("--table", o->tables, "Only these tables (repeatable)");
  cmd->add_flag("--no-schema", o->no_schema, "Only the data, not the schema");
  cmd->add_flag("--no-data", o->no_data, "Only the schema, not the data");
  cmd->add_flag("-y,--skip-confirmation", o->yes, "Accepted for wrangler compatibility");
  AddLocationFlags(*cmd, &o->remote);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY_VOID(RefuseRemote(o->remote));
      if (o->no_schema && o->no_data) {
        return Fail(InvalidArgument("--no-schema and --no-data together leave nothing to export"));
      }
      BLAZE_TRY(d1::D1Service * d1, ctx.D1());
      BLAZE_TRY(auto db, ctx.ResolveDatabase(o->name));
      BLAZE_TRY(auto conn, d1->Connect(db));
      std::cout << "🌀 Exporting " << DatabaseWhere(ctx, db) << ":\n"
                << "🌀 Exporting SQL to " << o->output << "...\n";
      std::string tmp = o->output + ".tmp";
      auto write = [&]() -> Result<d1::ExportStats> {
        BLAZE_TRY(auto out, ctx.env().NewWritableFile(tmp));
        BLAZE_TRY(auto stats, d1::ExportSql(*conn, {!o->no_schema, !o->no_data, o->tables}, *out));
        BLAZE_TRY_VOID(out->Sync());
        BLAZE_TRY_VOID(out->Close());
        BLAZE_TRY_VOID(ctx.env().Rename(tmp, o->output));
        return stats;
      };
      auto stats = write();
      if (!stats.has_value()) {
        (void)ctx.env().RemoveFile(tmp);
        return Fail(stats.error());
      }
      std::cout << "Done! " << stats->tables << " tables, " << stats->rows << " rows, "
                << HumanBytes(stats->bytes) << ".\n";
      return Ok();
    });
  });
}

}  // namespace

void AddLocationFlags(CLI::App& cmd, bool* remote) {
  cmd.add_flag("--local")->description(
      "Use the local data directory (the default unless --url or $BLAZE_URL names a server)");
  cmd.add_flag("--remote", *remote,
               "Run on the Blaze server at --url / $BLAZE_URL (default http://127.0.0.1:8788)");
}

Status RefuseRemote(bool remote) {
  if (!remote) return Ok();
  return Fail(InvalidArgument(
      "--local and --remote contradict each other: give --remote to run on the server, "
      "--local (or neither, without a --url) to use the local data directory"));
}

void AddD1Commands(CLI::App& app, CliContext& ctx) {
  auto* d1 = app.add_subcommand("d1", "Manage D1 databases (SQLite in the data directory)");
  d1->require_subcommand(1);
  AddCreate(*d1, ctx);
  AddList(*d1, ctx);
  AddInfo(*d1, ctx);
  AddDelete(*d1, ctx);
  AddExecute(*d1, ctx);
  AddExport(*d1, ctx);
  AddD1BackupCommands(*d1, ctx);
  AddD1MigrationsCommands(*d1, ctx);
}

}  // namespace blaze::cli
