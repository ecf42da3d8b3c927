// `blaze analytics query "SELECT ..."`: Analytics Engine's SQL API on the data directory's
// datasets (storage/analytics/query.h): a table, or with --json the API's own answer
// {meta, data, rows, rows_before_limit_at_least}. Read-only; the datasets are written by
// workers' writeDataPoint().
#include <iostream>
#include <memory>

#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"
#include "blaze/storage/analytics/analytics_service.h"
#include "blaze/storage/analytics/query.h"

namespace blaze::cli {
namespace {

void PrintQueryTable(const analytics::QueryResult& result) {
  if (result.rows.empty()) {
    std::cout << "No rows.\n";
    return;
  }
  Table table;
  for (const analytics::QueryColumn& c : result.meta) table.header.push_back(c.name);
  for (const auto& row : result.rows) {
    std::vector<std::string> cells;
    for (const sqlite::Value& v : row) cells.push_back(CellText(v));
    table.rows.push_back(std::move(cells));
  }
  PrintTable(std::cout, table);
}

void AddQuery(CLI::App& group, CliContext& ctx) {
  struct Opts {
    std::string sql;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = group.add_subcommand(
      "query", "Run a read-only SQL query over the Analytics Engine datasets (one table each)");
  cmd->add_option("sql", o->sql,
                  "The query, e.g. \"SELECT blob1, count() FROM vitals GROUP BY "
                  "blob1\" (SQLite's dialect; a trailing FORMAT clause is ignored)")
      ->required();
  cmd->add_flag("--json", o->json, "Print the SQL API's JSON: {meta, data, rows}");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(auto result,
                    analytics::RunQuery(analytics::AnalyticsPath(ctx.options().data_dir), o->sql,
                                        {.clock = &ctx.clock()}));
          if (o->json) {
            std::cout << analytics::QueryResultJson(result).dump(
                             2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                      << "\n";
          } else {
            PrintQueryTable(result);
          }
          return Ok();
        },
        o->json);
  });
}

}  // namespace

void AddAnalyticsCommands(CLI::App& app, CliContext& ctx) {
  auto* group = app.add_subcommand("analytics", "Query Workers Analytics Engine datasets");
  group->require_subcommand(1);
  AddQuery(*group, ctx);
}

}  // namespace blaze::cli
