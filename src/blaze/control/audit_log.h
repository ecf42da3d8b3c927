// AuditLog: an append-only record of every admin change — who (token id and name), what
// (action, e.g. "deploy", "rollback", "secret.put", "token.revoke"), when, on what (target, e.g.
// "scores-api" or "scores-api/API_KEY") and a JSON detail. SQLite triggers refuse UPDATE and
// DELETE on the table, so the log cannot be edited through SQL either.
//
// Secret values never belong in a detail; as a second line of defence, any detail key named
// value, secret, token, password or plaintext (any case, at any depth) is stored as "[redacted]".
//
// Threads: safe from any thread. Errors: InvalidArgument (empty action), storage errors.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/control/control_db.h"

namespace blaze::control {

struct Actor {
  std::string id;    // token id, or "system"
  std::string name;  // token name, or "blaze"
};

inline const Actor kSystemActor{"system", "blaze"};

struct AuditEntry {
  std::int64_t id = 0;  // increasing
  std::string time;     // ISO 8601 UTC
  Actor actor;
  std::string action;
  std::string target;
  nlohmann::json detail;
};

struct AuditFilter {
  std::size_t limit = 50;                // newest first; 0 = all
  std::optional<Clock::WallTime> since;  // entries at or after
  std::optional<std::string> actor;      // token id or name
  // "secret.put" exactly, or a family: "secret" matches "secret.put" and "secret.delete".
  std::optional<std::string> action;
  std::optional<std::string> target;
};

class AuditLog {
 public:
  AuditLog(ControlDb& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Joins the caller's ControlDb transaction when there is one, so a change and its record
  // commit together.
  Result<std::int64_t> Append(const Actor& actor, std::string_view action, std::string_view target,
                              nlohmann::json detail = nlohmann::json::object());
  Result<std::vector<AuditEntry>> List(const AuditFilter& filter);

 private:
  ControlDb& db_;
  const Clock& clock_;
};

// `detail` with every value under a sensitive key replaced by "[redacted]".
nlohmann::json RedactSecrets(nlohmann::json detail);

}  // namespace blaze::control
