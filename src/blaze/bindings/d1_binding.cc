#include "blaze/bindings/d1_binding.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>
#include <string_view>
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

// The reply's JSON is written straight into its text (meta, column names), and the rows travel
// as an engine::BindingRows table the engine turns into JavaScript objects itself: building and
// dumping an nlohmann::json tree, then JSON.parse of ten rows of objects in the worker, cost more
// than the query. Text that is not valid UTF-8 is written with U+FFFD in place of the bad bytes.
class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  void Raw(std::string_view text) { out_.append(text); }
  void Int(std::int64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, end);
  }
  // Shortest text that reads back as the same double; non-finite numbers as null (as
  // nlohmann::json and JSON.stringify write them).
  void Double(double v) {
    if (!std::isfinite(v)) return Raw("null");
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, end);
  }
  void Bool(bool v) { Raw(v ? "true" : "false"); }

  void String(std::string_view s) {
    out_.push_back('"');
    std::size_t i = 0, n = s.size(), run = 0;  // [run, i): bytes to copy as they are
    auto flush = [&] { out_.append(s.data() + run, i - run); };
    while (i < n) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        std::size_t len = Utf8SequenceLength(s, i);
        if (len > 0) {
          i += len;
          continue;
        }
        flush();
        out_.append("\\ufffd");
        run = ++i;
        continue;
      }
      flush();
      switch (c) {
        case '"': out_.append("\\\""); break;
        case '\\': out_.append("\\\\"); break;
        case '\n': out_.append("\\n"); break;
        case '\r': out_.append("\\r"); break;
        case '\t': out_.append("\\t"); break;
        case '\b': out_.append("\\b"); break;
        case '\f': out_.append("\\f"); break;
        default: {
          static const char kHex[] = "0123456789abcdef";
          char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          out_.append(esc, sizeof esc);
        }
      }
      run = ++i;
    }
    flush();
    out_.push_back('"');
  }

  // Keys sorted as nlohmann::json wrote them (d1.js and the tests read them by name).
  void Meta(const d1::StatementMeta& m, bool served_by) {
    Raw(served_by ? R"({"served_by":"blaze","changed_db":)" : R"({"changed_db":)");
    Bool(m.changed_db);
    Raw(R"(,"changes":)");
    Int(m.changes);
    Raw(R"(,"duration":)");
    Double(m.duration_ms);
    Raw(R"(,"last_row_id":)");
    Int(m.last_row_id);
    Raw(R"(,"rows_read":)");
    Int(m.rows_read);
    Raw(R"(,"rows_written":)");
    Int(m.rows_written);
    Raw(R"(,"size_after":)");
    Int(m.size_after);
    Raw("}");
  }

 private:
  // The length of the valid UTF-8 sequence starting at s[i] (a lead byte >= 0x80), 0 if invalid
  // (overlong forms, surrogates and code points past U+10FFFF are invalid).
  static std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) -> unsigned {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    };
    auto cont = [&](std::size_t k) { return (at(k) & 0xC0) == 0x80; };
    unsigned c = at(0);
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      unsigned c1 = at(1);
      if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
      if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
      return cont(1) && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      unsigned c1 = at(1);
      if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
      if (c == 0xF4 && c1 >= 0x90) return 0;  // past U+10FFFF
      return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
  }

  std::string& out_;
};

// How a query's result is shaped. kColumnsAndRows: {"columns":[...],"rows":[[...]],"meta":{...}}
// (raw()); kResult: the D1Result all() and run() return,
// {"success":true,"meta":{"served_by":"blaze",...},"results":[{column: value, ...}]} (batch);
// kCompact: the same D1Result for d1.js to assemble, the JSON only the meta's values in key
// order, [changed_db (0/1), changes, duration, last_row_id, rows_read, rows_written,
// size_after], and the rows as objects in the reply's first table (all(), run(), first(): no
// JSON object to parse and walk). The rows are a table ({"$rows": i} in the JSON,
// engine::BindingRows in the reply).
enum class Shape { kColumnsAndRows, kResult, kCompact };

Shape ShapeNamed(std::string_view name) {
  if (name == "result") return Shape::kResult;
  if (name == "compact") return Shape::kCompact;
  return Shape::kColumnsAndRows;
}

// D1's mapping: INTEGER/REAL → number, TEXT → string, NULL → null, BLOB → array of numbers.
engine::BindingRows::Cell CellOf(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(stmt, i)};
    case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      int len = sqlite3_column_bytes(stmt, i);
      return p ? std::string(p, static_cast<std::size_t>(len)) : std::string();
    }
    case SQLITE_BLOB: {
      auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
      int len = sqlite3_column_bytes(stmt, i);
      return p ? std::vector<std::uint8_t>(p, p + len) : std::vector<std::uint8_t>();
    }
    default: return engine::BindingRows::Null{};
  }
}

// The arguments of the hot op, `query`, read straight from their JSON text: d1.js sends
// {"sql": "...", "params": [...], "shape": "result"}, and an nlohmann::json tree of it cost
// ~14,000 instructions, a sixth of a small query's host time. Anything this reader does not
// expect (another key, a nested value, a lone surrogate, an integer past 64 bits, a parameter
// D1 refuses) gives nullopt, and the general path reads the text, with its errors.
struct QueryArgs {
  std::string sql;
  std::vector<sqlite::Value> params;
  Shape shape = Shape::kColumnsAndRows;
};

class QueryArgsReader {
 public:
  QueryArgsReader(std::string_view text, const std::vector<std::string>& buffers)
      : s_(text), buffers_(buffers) {}

  std::optional<QueryArgs> Read() {
    QueryArgs out;
    if (!Eat('{')) return std::nullopt;
    if (!Eat('}')) {
      do {
        std::string key;
        if (!String(&key) || !Eat(':')) return std::nullopt;
        if (key == "sql") {
          if (!String(&out.sql)) return std::nullopt;
        } else if (key == "params") {
          out.params.clear();
          if (!Params(&out.params)) return std::nullopt;
        } else if (key == "shape") {
          std::string shape;
          if (!String(&shape)) return std::nullopt;
          out.shape = ShapeNamed(shape);
        } else {
          return std::nullopt;
        }
      } while (Eat(','));
      if (!Eat('}')) return std::nullopt;
    }
    Space();
    if (i_ != s_.size()) return std::nullopt;
    return out;
  }

 private:
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool Eat(char c) {
    Space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool Hex4(unsigned* out) {
    if (i_ + 4 > s_.size()) return false;
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      int h = Hex(s_[i_ + k]);
      if (h < 0) return false;
      v = v * 16 + static_cast<unsigned>(h);
    }
    i_ += 4;
    *out = v;
    return true;
  }
  static void AppendUtf8(std::string* out, unsigned cp) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    out->clear();
    while (i_ < s_.size()) {
      std::size_t run = i_;
      while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\' &&
             static_cast<unsigned char>(s_[i_]) >= 0x20)
        ++i_;
      out->append(s_.data() + run, i_ - run);
      if (i_ >= s_.size()) return false;
      char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') return false;  // a raw control character
      if (i_ >= s_.size()) return false;
      char e = s_[i_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          unsigned cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  // A JSON number: an integer (no fraction or exponent) within int64, or a double.
  bool Number(sqlite::Value* out) {
    std::size_t start = i_;
    bool integer = true;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size() || !(s_[i_] >= '0' && s_[i_] <= '9')) return false;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9') return false;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    if (i_ < s_.size() && s_[i_] == '.') {
      integer = false;
      ++i_;
      if (i_ >= s_.size() || !(s_[i_] >= '0' && s_[i_] <= '9')) return false;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      integer = false;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || !(s_[i_] >= '0' && s_[i_] <= '9')) return false;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + i_;
    if (integer) {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(first, last, v);
      if (ec != std::errc() || end != last) return false;  // past int64: the general path
      *out = v;
      return true;
    }
    double d = 0;
    auto [end, ec] = std::from_chars(first, last, d);
    if (ec != std::errc() || end != last) return false;
    *out = d;
    return true;
  }
  // ReadParams' mapping: null, booleans as 1/0, integers, doubles, strings, {"$buffer": i}.
  bool Params(std::vector<sqlite::Value>* out) {
    Space();
    if (Literal("null")) return true;
    if (!Eat('[')) return false;
    if (Eat(']')) return true;
    do {
      Space();
      if (i_ >= s_.size()) return false;
      char c = s_[i_];
      if (c == '"') {
        std::string text;
        if (!String(&text)) return false;
        out->emplace_back(std::move(text));
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        sqlite::Value v;
        if (!Number(&v)) return false;
        out->push_back(std::move(v));
      } else if (Literal("null")) {
        out->emplace_back(sqlite::Null{});
      } else if (Literal("true")) {
        out->emplace_back(std::int64_t{1});
      } else if (Literal("false")) {
        out->emplace_back(std::int64_t{0});
      } else if (c == '{') {
        ++i_;
        std::string key;
        sqlite::Value index;
        if (!String(&key) || key != "$buffer" || !Eat(':')) return false;
        Space();
        if (!Number(&index) || !std::holds_alternative<std::int64_t>(index) || !Eat('}'))
          return false;
        std::int64_t n = std::get<std::int64_t>(index);
        if (n < 0 || static_cast<std::uint64_t>(n) >= buffers_.size()) return false;
        const std::string& b = buffers_[static_cast<std::size_t>(n)];
        out->emplace_back(sqlite::Blob{std::vector<std::uint8_t>(b.begin(), b.end())});
      } else {
        return false;
      }
    } while (Eat(','));
    return Eat(']');
  }

  std::string_view s_;
  const std::vector<std::string>& buffers_;
  std::size_t i_ = 0;
};

Shape ShapeArg(const json& args) {
  auto it = args.find("shape");
  return it != args.end() && it->is_string() ? ShapeNamed(it->get_ref<const std::string&>())
                                             : Shape::kColumnsAndRows;
}

class D1Binding final : public SyncBinding {
 public:
  D1Binding(std::shared_ptr<d1::D1Service> d1, d1::DatabaseInfo db)
      : d1_(std::move(d1)), db_(std::move(db)) {}

 private:
  // A pooled connection, with the database size it last measured: a query's meta reports the
  // size after it, and reading that takes two statements (page_count, page_size; ~19,000
  // instructions, a fifth of a small query) that a read leaves unchanged. SQLite's data version
  // of the main database says whether anything was written since, by this connection or any
  // other — as of the connection's latest read transaction, so only a statement that read the
  // database (it went through the page cache) may use the remembered size.
  struct Connection {
    std::unique_ptr<sqlite::Database> db;
    std::int64_t size = -1;
    unsigned data_version = 0;

    // Before a statement: start counting its page reads.
    void StartStatement() {
      int current = 0, highwater = 0;
      sqlite3_db_status(db->raw(), SQLITE_DBSTATUS_CACHE_HIT, &current, &highwater, 1);
      sqlite3_db_status(db->raw(), SQLITE_DBSTATUS_CACHE_MISS, &current, &highwater, 1);
    }

    Result<std::int64_t> SizeAfter() {
      int hits = 0, misses = 0, highwater = 0;
      sqlite3_db_status(db->raw(), SQLITE_DBSTATUS_CACHE_HIT, &hits, &highwater, 0);
      sqlite3_db_status(db->raw(), SQLITE_DBSTATUS_CACHE_MISS, &misses, &highwater, 0);
      unsigned version = 0;
      bool known = sqlite3_file_control(db->raw(), "main", SQLITE_FCNTL_DATA_VERSION, &version) ==
                   SQLITE_OK;
      if (known && hits + misses > 0 && size >= 0 && version == data_version) return size;
      BLAZE_TRY(std::int64_t measured, db->SizeBytes());
      // The version as of the read SizeBytes just made.
      known = known && sqlite3_file_control(db->raw(), "main", SQLITE_FCNTL_DATA_VERSION,
                                            &version) == SQLITE_OK;
      size = known ? measured : -1;
      data_version = version;
      return measured;
    }
  };

  // A connection for the length of one call.
  class Lease {
   public:
    Lease(D1Binding& owner, std::unique_ptr<Connection> conn)
        : owner_(owner), conn_(std::move(conn)) {}
    ~Lease() {
      if (conn_->db->InTransaction()) (void)conn_->db->Exec("ROLLBACK");
      std::lock_guard lock(owner_.mu_);
      owner_.idle_.push_back(std::move(conn_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *conn_; }

   private:
    D1Binding& owner_;
    std::unique_ptr<Connection> conn_;
  };

  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
    }
    BLAZE_TRY(auto db, d1_->Connect(db_));
    auto conn = std::make_unique<Connection>();
    conn->db = std::move(db);
    return conn;
  }

  Result<engine::BindingReply> Run(engine::BindingCall& call) override {
    if (call.op == "query") {
      if (std::optional<QueryArgs> args = QueryArgsReader(call.args, call.buffers).Read()) {
        BLAZE_TRY(auto conn, Acquire());
        Lease lease(*this, std::move(conn));
        engine::BindingReply reply;
        reply.json.clear();
        BLAZE_TRY_VOID(Query(*lease, args->sql, std::move(args->params), args->shape, reply));
        return reply;
      }
    }
    BLAZE_TRY(json args, ParseArgs(call, "d1"));
    BLAZE_TRY(auto conn, Acquire());
    Lease lease(*this, std::move(conn));
    Connection& c = *lease;
    sqlite::Database& db = *c.db;
    engine::BindingReply reply;
    if (call.op == "query") {
      reply.json.clear();
      BLAZE_TRY(auto values, ReadParams(args["params"], call.buffers));
      BLAZE_TRY_VOID(Query(c, args.value("sql", ""), std::move(values), ShapeArg(args), reply));
    } else if (call.op == "batch") {
      reply.json.clear();
      BLAZE_TRY_VOID(Batch(c, args["statements"], call.buffers, ShapeArg(args), reply));
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

  // One statement, its result added to `reply` in `shape`: the JSON to `reply.json`, the rows
  // to `reply.rows`. The statement comes from the connection's cache (prepared once per SQL
  // text); SQL the cache cannot take (an error, nothing to run) goes the uncached way, which
  // also words the errors.
  Status Query(Connection& c, const std::string& sql, std::vector<sqlite::Value> values,
               Shape shape, engine::BindingReply& reply) {
    sqlite::Database& db = *c.db;
    std::unique_ptr<sqlite::Statement> uncached;
    std::optional<sqlite::CachedStatement> cached;
    if (auto hit = db.Prepare(sql)) {
      cached.emplace(std::move(*hit));
    } else {
      std::size_t consumed = 0;
      auto prepared = db.PrepareNext(sql, &consumed);
      if (!prepared) return Fail(D1Error(db, prepared.error()));
      if (!*prepared) return Fail(InvalidArgument("No SQL statements detected."));
      uncached = std::move(*prepared);
    }
    sqlite::Statement& stmt = cached ? **cached : *uncached;
    if (static_cast<std::size_t>(stmt.ParameterCount()) != values.size()) {
      return Fail(InvalidArgument("Wrong number of parameter bindings for SQL query."));
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto bound = stmt.Bind(static_cast<int>(i + 1), values[i]);
      if (!bound) return Fail(D1Error(db, bound.error()));
    }
    engine::BindingRows table;
    table.objects = shape != Shape::kColumnsAndRows;
    int columns = stmt.ColumnCount();
    table.cells.reserve(static_cast<std::size_t>(columns) * 16);
    for (int i = 0; i < columns; ++i) {
      const char* name = sqlite3_column_name(stmt.raw(), i);
      table.columns.emplace_back(name ? name : "");
    }
    c.StartStatement();
    auto meta = d1::StepStatement(db, stmt, d1_->clock(), /*measure_size=*/false,
                                  [&](sqlite::Statement& s) {
                                    for (int i = 0; i < columns; ++i)
                                      table.cells.push_back(CellOf(s.raw(), i));
                                  });
    if (!meta) return Fail(D1Error(db, meta.error()));
    BLAZE_TRY(meta->size_after, c.SizeAfter());
    const std::size_t index = reply.rows.size();
    JsonText w(reply.json);
    if (shape == Shape::kCompact) {
      const d1::StatementMeta& m = *meta;
      w.Raw(m.changed_db ? "[1," : "[0,");
      w.Int(m.changes);
      w.Raw(",");
      w.Double(m.duration_ms);
      for (std::int64_t v : {m.last_row_id, m.rows_read, m.rows_written, m.size_after}) {
        w.Raw(",");
        w.Int(v);
      }
      w.Raw("]");
    } else if (shape == Shape::kResult) {  // the key order of Cloudflare's D1Result
      w.Raw(R"({"success":true,"meta":)");
      w.Meta(*meta, /*served_by=*/true);
      w.Raw(R"(,"results":{"$rows":)");
      w.Int(static_cast<std::int64_t>(index));
      w.Raw("}}");
    } else {
      w.Raw(R"({"columns":[)");
      for (int i = 0; i < columns; ++i) {
        if (i > 0) w.Raw(",");
        w.String(table.columns[i]);
      }
      w.Raw(R"(],"rows":{"$rows":)");
      w.Int(static_cast<std::int64_t>(index));
      w.Raw(R"(},"meta":)");
      w.Meta(*meta, /*served_by=*/false);
      w.Raw("}");
    }
    reply.rows.push_back(std::move(table));
    return Ok();
  }

  Status Batch(Connection& c, const json& statements,
               const std::vector<std::string>& buffers, Shape shape,
               engine::BindingReply& reply) {
    sqlite::Database& db = *c.db;
    if (!statements.is_array()) return Fail(InvalidArgument("batch: statements must be an array"));
    if (shape == Shape::kCompact) shape = Shape::kResult;  // a table per statement needs $rows
    auto begin = db.Exec("BEGIN IMMEDIATE");
    if (!begin) return Fail(D1Error(db, begin.error()));
    reply.json.push_back('[');
    bool first = true;
    for (const json& s : statements) {
      if (!s.is_object()) return Fail(InvalidArgument("batch: bad statement"));
      if (!first) reply.json.push_back(',');
      first = false;
      auto values = ReadParams(s.contains("params") ? s["params"] : json(), buffers);
      if (!values) return Fail(values.error());  // the lease rolls the transaction back
      auto r = Query(c, s.value("sql", ""), std::move(*values), shape, reply);
      if (!r) return Fail(r.error());
    }
    reply.json.push_back(']');
    auto commit = db.Exec("COMMIT");
    if (!commit) return Fail(D1Error(db, commit.error()));
    return Ok();
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

  Result<std::string> Dump(sqlite::Database& db) { return db.Serialize(); }

  std::shared_ptr<d1::D1Service> d1_;
  d1::DatabaseInfo db_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace

std::shared_ptr<engine::BindingService> NewD1Binding(std::shared_ptr<d1::D1Service> d1,
                                                     d1::DatabaseInfo db) {
  return std::make_shared<D1Binding>(std::move(d1), std::move(db));
}

}  // namespace blaze::bindings
