#include "blaze/bindings/d1_binding.h"

#include <nlohmann/json.hpp>

#include <mutex>
#include <vector>

#include "blaze/bindings/sync_binding.h"
#include "blaze/storage/d1/executor.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

// SQLite's result code names, as D1 appends them to its messages.
std::string CodeName(int code) {
  static const char* const kPrimary[] = {
      "SQLITE_OK", "SQLITE_ERROR", "SQLITE_INTERNAL", "SQLITE_PERM", "SQLITE_ABORT",
      "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_NOMEM", "SQLITE_READONLY", "SQLITE_INTERRUPT",
      "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOTFOUND", "SQLITE_FULL", "SQLITE_CANTOPEN",
      "SQLITE_PROTOCOL", "SQLITE_EMPTY", "SQLITE_SCHEMA", "SQLITE_TOOBIG", "SQLITE_CONSTRAINT",
      "SQLITE_MISMATCH", "SQLITE_MISUSE", "SQLITE_NOLFS", "SQLITE_AUTH", "SQLITE_FORMAT",
      "SQLITE_RANGE", "SQLITE_NOTADB"};
  switch (code) {
    case SQLITE_CONSTRAINT_CHECK: return "SQLITE_CONSTRAINT_CHECK";
    case SQLITE_CONSTRAINT_FOREIGNKEY: return "SQLITE_CONSTRAINT_FOREIGNKEY";
    case SQLITE_CONSTRAINT_NOTNULL: return "SQLITE_CONSTRAINT_NOTNULL";
    case SQLITE_CONSTRAINT_PRIMARYKEY: return "SQLITE_CONSTRAINT_PRIMARYKEY";
    case SQLITE_CONSTRAINT_TRIGGER: return "SQLITE_CONSTRAINT_TRIGGER";
    case SQLITE_CONSTRAINT_UNIQUE: return "SQLITE_CONSTRAINT_UNIQUE";
    default: break;
  }
  int primary = code & 0xFF;
  if (primary >= 0 && primary < static_cast<int>(std::size(kPrimary))) return kPrimary[primary];
  return "SQLITE_ERROR";
}

// "<message>: SQLITE_X" or "<message>: SQLITE_X (extended: SQLITE_X_Y)", read from the
// connection right after the failure.
Error D1Error(sqlite::Database& db, const Error& error) {
  int extended = sqlite3_extended_errcode(db.raw());
  if (extended == SQLITE_OK) return error;
  std::string text = error.message() + ": " + CodeName(extended & 0xFF);
  if ((extended & ~0xFF) != 0) text += " (extended: " + CodeName(extended) + ")";
  return Error(error.code(), std::move(text));
}

Result<std::vector<sqlite::Value>> ReadParams(const json& params,
                                              const std::vector<std::string>& buffers) {
  std::vector<sqlite::Value> out;
  if (params.is_null()) return out;
  if (!params.is_array()) return Fail(InvalidArgument("params must be an array"));
  for (const json& p : params) {
    if (p.is_null()) out.emplace_back(sqlite::Null{});
    else if (p.is_boolean()) out.emplace_back(std::int64_t{p.get<bool>() ? 1 : 0});
    else if (p.is_number_integer()) out.emplace_back(p.get<std::int64_t>());
    else if (p.is_number()) out.emplace_back(p.get<double>());
    else if (p.is_string()) out.emplace_back(p.get<std::string>());
    else if (p.is_object() && p.contains("$buffer") && p["$buffer"].is_number_unsigned() &&
             p["$buffer"].get<std::size_t>() < buffers.size()) {
      const std::string& b = buffers[p["$buffer"].get<std::size_t>()];
      out.emplace_back(sqlite::Blob{std::vector<std::uint8_t>(b.begin(), b.end())});
    } else {
      return Fail(InvalidArgument("Type '" + std::string(p.type_name()) + "' not supported"));
    }
  }
  return out;
}

json ValueJson(const sqlite::Value& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, sqlite::Null>) return nullptr;
        else if constexpr (std::is_same_v<T, sqlite::Blob>) return x.bytes;  // D1: number[]
        else return x;
      },
      v);
}

json ResultJson(const d1::StatementResult& r) {
  json rows = json::array();
  for (const auto& row : r.rows) {
    json cells = json::array();
    for (const auto& v : row) cells.push_back(ValueJson(v));
    rows.push_back(std::move(cells));
  }
  const d1::StatementMeta& m = r.meta;
  return {{"columns", r.columns},
          {"rows", std::move(rows)},
          {"meta",
           {{"duration", m.duration_ms},
            {"changes", m.changes},
            {"last_row_id", m.last_row_id},
            {"changed_db", m.changed_db},
            {"size_after", m.size_after},
            {"rows_read", m.rows_read},
            {"rows_written", m.rows_written}}}};
}

class D1Binding final : public SyncBinding {
 public:
  D1Binding(std::shared_ptr<d1::D1Service> d1, d1::DatabaseInfo db)
      : d1_(std::move(d1)), db_(std::move(db)) {}

 private:
  // A connection for the length of one call.
  class Lease {
   public:
    Lease(D1Binding& owner, std::unique_ptr<sqlite::Database> db)
        : owner_(owner), db_(std::move(db)) {}
    ~Lease() {
      if (db_->InTransaction()) (void)db_->Exec("ROLLBACK");
      std::lock_guard lock(owner_.mu_);
      owner_.idle_.push_back(std::move(db_));
    }
    sqlite::Database& operator*() { return *db_; }

   private:
    D1Binding& owner_;
    std::unique_ptr<sqlite::Database> db_;
  };

  Result<std::unique_ptr<Lease>> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto db = std::move(idle_.back());
        idle_.pop_back();
        return std::make_unique<Lease>(*this, std::move(db));
      }
    }
    BLAZE_TRY(auto db, d1_->Connect(db_));
    return std::make_unique<Lease>(*this, std::move(db));
  }

  Result<engine::BindingReply> Run(engine::BindingCall& call) override {
    BLAZE_TRY(json args, ParseArgs(call, "d1"));
    BLAZE_TRY(auto lease, Acquire());
    sqlite::Database& db = **lease;
    engine::BindingReply reply;
    if (call.op == "query") {
      BLAZE_TRY(json r, Query(db, args.value("sql", ""), args["params"], call.buffers));
      reply.json = r.dump();
    } else if (call.op == "batch") {
      BLAZE_TRY(json r, Batch(db, args["statements"], call.buffers));
      reply.json = r.dump();
    } else if (call.op == "exec") {
      BLAZE_TRY(json r, Exec(db, args.value("sql", "")));
      reply.json = r.dump();
    } else if (call.op == "dump") {
      BLAZE_TRY(std::string bytes, Dump(db));
      reply.json = R"({"$buffer":0})";
      reply.buffers.push_back(std::move(bytes));
    } else {
      return Fail(InvalidArgument("d1: unknown operation '" + call.op + "'"));
    }
    return reply;
  }

  Result<json> Query(sqlite::Database& db, const std::string& sql, const json& params,
                     const std::vector<std::string>& buffers) {
    BLAZE_TRY(auto values, ReadParams(params, buffers));
    std::size_t consumed = 0;
    auto prepared = db.PrepareNext(sql, &consumed);
    if (!prepared) return Fail(D1Error(db, prepared.error()));
    if (!*prepared) return Fail(InvalidArgument("No SQL statements detected."));
    sqlite::Statement& stmt = **prepared;
    if (static_cast<std::size_t>(stmt.ParameterCount()) != values.size()) {
      return Fail(InvalidArgument("Wrong number of parameter bindings for SQL query."));
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto bound = stmt.Bind(static_cast<int>(i + 1), values[i]);
      if (!bound) return Fail(D1Error(db, bound.error()));
    }
    auto result = d1::RunStatement(db, stmt, d1_->clock());
    if (!result) return Fail(D1Error(db, result.error()));
    return ResultJson(*result);
  }

  Result<json> Batch(sqlite::Database& db, const json& statements,
                     const std::vector<std::string>& buffers) {
    if (!statements.is_array()) return Fail(InvalidArgument("batch: statements must be an array"));
    auto begin = db.Exec("BEGIN IMMEDIATE");
    if (!begin) return Fail(D1Error(db, begin.error()));
    json out = json::array();
    for (const json& s : statements) {
      if (!s.is_object()) return Fail(InvalidArgument("batch: bad statement"));
      auto r = Query(db, s.value("sql", ""), s.contains("params") ? s["params"] : json(), buffers);
      if (!r) return Fail(r.error());  // the lease rolls the transaction back
      out.push_back(std::move(*r));
    }
    auto commit = db.Exec("COMMIT");
    if (!commit) return Fail(D1Error(db, commit.error()));
    return out;
  }

  // Statements one after the other, each committed on its own, as D1's exec() does.
  Result<json> Exec(sqlite::Database& db, const std::string& sql) {
    auto start = d1_->clock().Monotonic();
    std::string_view rest = sql;
    int count = 0;
    while (true) {
      std::size_t consumed = 0;
      auto prepared = db.PrepareNext(rest, &consumed);
      std::string_view text = rest.substr(0, consumed);
      auto fail = [&](const Error& e) {
        std::string stmt_text(text);
        while (!stmt_text.empty() && (stmt_text.front() == '\n' || stmt_text.front() == ' '))
          stmt_text.erase(0, 1);
        if (!stmt_text.empty() && stmt_text.back() == ';') stmt_text.pop_back();
        return Error(e.code(), "Error in line " + std::to_string(count + 1) + ": " + stmt_text +
                                   ": " + D1Error(db, e).message());
      };
      if (!prepared) {
        std::size_t end = rest.find(';');
        text = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
        return Fail(fail(prepared.error()));
      }
      if (!*prepared) break;
      auto result = d1::RunStatement(db, **prepared, d1_->clock());
      if (!result) return Fail(fail(result.error()));
      ++count;
      rest.remove_prefix(consumed);
    }
    if (count == 0) return Fail(InvalidArgument("No SQL statements detected."));
    double ms = std::chrono::duration<double, std::milli>(d1_->clock().Monotonic() - start).count();
    return json{{"count", count}, {"duration", ms}};
  }

  Result<std::string> Dump(sqlite::Database& db) {
    sqlite3_int64 size = 0;
    unsigned char* bytes = sqlite3_serialize(db.raw(), "main", &size, 0);
    if (!bytes) return Fail(ResourceExhausted("d1: could not serialize the database"));
    std::string out(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
    sqlite3_free(bytes);
    return out;
  }

  std::shared_ptr<d1::D1Service> d1_;
  d1::DatabaseInfo db_;
  std::mutex mu_;
  std::vector<std::unique_ptr<sqlite::Database>> idle_;
};

}  // namespace

std::shared_ptr<engine::BindingService> NewD1Binding(std::shared_ptr<d1::D1Service> d1,
                                                     d1::DatabaseInfo db) {
  return std::make_shared<D1Binding>(std::move(d1), std::move(db));
}

}  // namespace blaze::bindings
