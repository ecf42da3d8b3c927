#include "blaze/storage/d1/sql_policy.h"

#include <sqlite3.h>

#include <array>
#include <string_view>

namespace blaze::d1 {
namespace {

// Observed in wrangler 4's local D1 (`wrangler d1 execute --local --command "PRAGMA x"` for each
// of SQLite's pragmas): these answer, every other one is "not authorized".
constexpr std::array<std::string_view, 17> kAllowedPragmas = {
    "case_sensitive_like", "data_version",     "defer_foreign_keys", "foreign_key_check",
    "foreign_keys",        "ignore_check_constraints", "index_info",  "index_list",
    "index_xinfo",         "legacy_alter_table", "optimize",         "quick_check",
    "recursive_triggers",  "reverse_unordered_selects", "table_info", "table_list",
    "table_xinfo"};

bool PragmaAllowed(const char* name) {
  if (name == nullptr) return false;
  // SQLite hands the name as written; pragma names are case-insensitive.
  std::string_view given(name);
  for (std::string_view allowed : kAllowedPragmas) {
    if (given.size() == allowed.size() &&
        sqlite3_strnicmp(given.data(), allowed.data(), static_cast<int>(given.size())) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool D1SqlPolicy(int action, const char* arg1, const char* /*arg2*/) {
  switch (action) {
    case SQLITE_ATTACH:
      // arg1 is the file name when it is a literal, else null (an expression, a parameter).
      return arg1 != nullptr && arg1[0] == '\0';
    case SQLITE_DETACH:
      return false;
    case SQLITE_PRAGMA:
      return PragmaAllowed(arg1);
    default:
      return true;
  }
}

}  // namespace blaze::d1
