#include "blaze/control/audit_log.h"

#include <algorithm>
#include <cctype>

namespace blaze::control {
namespace {

bool IsSensitiveKey(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key == "value" || key == "secret" || key == "token" || key == "password" ||
         key == "plaintext";
}

}  // namespace

nlohmann::json RedactSecrets(nlohmann::json detail) {
  if (detail.is_object()) {
    for (auto it = detail.begin(); it != detail.end(); ++it) {
      if (IsSensitiveKey(it.key())) {
        it.value() = "[redacted]";
      } else {
        it.value() = RedactSecrets(std::move(it.value()));
      }
    }
  } else if (detail.is_array()) {
    for (auto& v : detail) v = RedactSecrets(std::move(v));
  }
  return detail;
}

Result<std::int64_t> AuditLog::Append(const Actor& actor, std::string_view action,
                                      std::string_view target, nlohmann::json detail) {
  if (action.empty()) return Fail(InvalidArgument("an audit entry needs an action"));
  auto now = clock_.Now();
  // Invalid UTF-8 (a user's message) is replaced, not thrown about.
  std::string text = RedactSecrets(std::move(detail))
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return db_.Write([&](sqlite::Database& db) -> Result<std::int64_t> {
    BLAZE_TRY_VOID(Exec(db,
                        "INSERT INTO audit_log(time, time_ms, actor_id, actor_name, action, "
                        "target, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        {FormatIso8601(now), UnixMillis(now), actor.id, actor.name,
                         std::string(action), std::string(target), text}));
    return db.LastInsertRowId();
  });
}

Result<std::vector<AuditEntry>> AuditLog::List(const AuditFilter& f) {
  std::string sql =
      "SELECT id, time, actor_id, actor_name, action, target, detail FROM audit_log WHERE 1";
  std::vector<sqlite::Value> args;
  auto param = [&](sqlite::Value v) {
    args.push_back(std::move(v));
    return "?" + std::to_string(args.size());
  };
  if (f.since) sql += " AND time_ms >= " + param(UnixMillis(*f.since));
  if (f.actor) {
    std::string p = param(*f.actor);
    sql += " AND (actor_id = " + p + " OR actor_name = " + p + ")";
  }
  if (f.action) {
    std::string exact = param(*f.action);
    std::string family = param(*f.action + ".");
    sql += " AND (action = " + exact + " OR substr(action, 1, length(" + family + ")) = " + family +
           ")";
  }
  if (f.target) sql += " AND target = " + param(*f.target);
  sql += " ORDER BY id DESC LIMIT " +
         param(f.limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(f.limit));
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<AuditEntry>> {
    std::vector<AuditEntry> out;
    BLAZE_TRY_VOID(Query(db, sql, args, [&](sqlite::Statement& s) {
      AuditEntry e;
      e.id = s.ColumnInt(0);
      e.time = s.ColumnText(1);
      e.actor = {s.ColumnText(2), s.ColumnText(3)};
      e.action = s.ColumnText(4);
      e.target = s.ColumnText(5);
      e.detail = nlohmann::json::parse(s.ColumnText(6), nullptr, /*allow_exceptions=*/false);
      out.push_back(std::move(e));
      return Ok();
    }));
    return out;
  });
}

}  // namespace blaze::control
