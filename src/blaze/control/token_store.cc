#include "blaze/control/token_store.h"

#include <cctype>

#include "blaze/base/base64.h"
#include "blaze/control/key_file.h"
#include "blaze/storage/fs/env.h"

namespace blaze::control {
namespace {

constexpr Scope kAllScopes[] = {Scope::kRead, Scope::kDeploy, Scope::kSecrets, Scope::kAdmin};
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kTokenLength = 4 + 43;  // "blz_" + base64url(32 bytes)

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsTokenShaped(std::string_view t) {
  if (t.size() != kTokenLength || !t.starts_with(kTokenPrefix)) return false;
  for (char c : t.substr(kTokenPrefix.size())) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

TokenInfo RowToInfo(sqlite::Statement& s) {
  TokenInfo t;
  t.id = s.ColumnText(0);
  t.name = s.ColumnText(1);
  t.scopes = Scopes::Parse(s.ColumnText(2)).value_or(Scopes());
  t.created_at = s.ColumnText(3);
  t.created_by = s.ColumnText(4);
  t.last_used_at = OptionalText(s, 5);
  t.revoked_at = OptionalText(s, 6);
  return t;
}

constexpr const char* kColumns =
    "id, name, scopes, created_at, created_by, last_used_at, revoked_at";

}  // namespace

std::string_view ToString(Scope scope) {
  switch (scope) {
    case Scope::kRead:
      return "read";
    case Scope::kDeploy:
      return "deploy";
    case Scope::kSecrets:
      return "secrets";
    case Scope::kAdmin:
      return "admin";
  }
  return "?";
}

Scopes::Scopes(std::initializer_list<Scope> scopes) {
  for (Scope s : scopes) bits_ |= static_cast<std::uint8_t>(s);
}

Result<Scopes> Scopes::Parse(std::string_view text) {
  Scopes out;
  while (true) {
    std::size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    bool known = false;
    for (Scope s : kAllScopes) {
      if (item == control::ToString(s)) {
        out.bits_ |= static_cast<std::uint8_t>(s);
        known = true;
      }
    }
    if (!known) {
      return Fail(InvalidArgument("unknown scope '" + std::string(item) +
                                  "' (the scopes are read, deploy, secrets and admin)"));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool Scopes::Allows(Scope scope) const { return Contains(Scope::kAdmin) || Contains(scope); }

std::string Scopes::ToString() const {
  std::string out;
  for (Scope s : kAllScopes) {
    if (Contains(s)) out += (out.empty() ? "" : ",") + std::string(control::ToString(s));
  }
  return out;
}

Status RequireScope(const Principal& p, Scope scope) {
  if (p.scopes.Allows(scope)) return Ok();
  std::string has = p.scopes.ToString();
  return Fail(PermissionDenied("token '" + p.name + "' lacks the '" + std::string(ToString(scope)) +
                               "' scope (it has: " + (has.empty() ? "none" : has) + ")"));
}

TokenStore::TokenStore(ControlDb& db, TokenStoreOptions options) : db_(db), options_(options) {
  BLAZE_CHECK(options_.clock && options_.random && options_.secure_random);
}

Result<std::string> TokenStore::NewSecret() {
  BLAZE_TRY(std::string bytes, options_.secure_random->Bytes(kSecretBytes));
  std::string token = std::string(kTokenPrefix) + Base64UrlEncode(bytes);
  Wipe(bytes);
  return token;
}

Result<IssuedToken> TokenStore::Insert(sqlite::Database& db, const std::string& name, Scopes scopes,
                                       const std::string& created_by, const std::string& token) {
  BLAZE_TRY_VOID(ValidateName(name, "token name"));
  if (scopes.empty()) return Fail(InvalidArgument("a token needs at least one scope"));
  BLAZE_TRY(auto taken,
            QueryFirstInt(db, "SELECT COUNT(*) FROM tokens WHERE name = ?1 AND revoked_at IS NULL",
                          {name}));
  if (taken.value_or(0) > 0) return Fail(AlreadyExists("an active token named '" + name + "' already exists"));
  IssuedToken out;
  out.token = token;
  out.info.id = NewUuid(*options_.random);
  out.info.name = name;
  out.info.scopes = scopes;
  out.info.created_at = FormatIso8601(options_.clock->Now());
  out.info.created_by = created_by;
  BLAZE_TRY_VOID(Exec(
      db,
      "INSERT INTO tokens(id, name, hash, scopes, created_at, created_by) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      {out.info.id, name, Sha256Hex(token), scopes.ToString(), out.info.created_at, created_by}));
  return out;
}

Result<IssuedToken> TokenStore::Create(const std::string& name, Scopes scopes,
                                       const std::string& created_by) {
  BLAZE_TRY(std::string token, NewSecret());
  return db_.Write(
      [&](sqlite::Database& db) { return Insert(db, name, scopes, created_by, token); });
}

Result<std::vector<TokenInfo>> TokenStore::List() {
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<TokenInfo>> {
    std::vector<TokenInfo> out;
    BLAZE_TRY_VOID(Query(db, std::string("SELECT ") + kColumns + " FROM tokens ORDER BY rowid DESC",
                         {}, [&](sqlite::Statement& s) {
                           out.push_back(RowToInfo(s));
                           return Ok();
                         }));
    return out;
  });
}

Result<TokenInfo> TokenStore::Revoke(const std::string& id_or_name) {
  std::string now = FormatIso8601(options_.clock->Now());
  return db_.Write([&](sqlite::Database& db) -> Result<TokenInfo> {
    std::vector<TokenInfo> matches;
    BLAZE_TRY_VOID(Query(db,
                         std::string("SELECT ") + kColumns +
                             " FROM tokens WHERE id = ?1 OR (name = ?1 AND revoked_at IS NULL)",
                         {id_or_name}, [&](sqlite::Statement& s) {
                           matches.push_back(RowToInfo(s));
                           return Ok();
                         }));
    if (matches.empty()) {
      return Fail(NotFound("token '" + id_or_name + "' not found (`blaze token list` shows them)"));
    }
    TokenInfo t = matches.front();
    if (t.revoked_at) {
      return Fail(FailedPrecondition("token '" + t.name + "' (" + t.id +
                                     ") was already revoked at " + *t.revoked_at));
    }
    if (t.scopes.Contains(Scope::kAdmin)) {
      BLAZE_TRY(std::int64_t admins,
                db.QueryInt("SELECT COUNT(*) FROM tokens WHERE revoked_at IS NULL AND "
                            "(',' || scopes || ',') LIKE '%,admin,%'"));
      if (admins <= 1) {
        return Fail(FailedPrecondition("token '" + t.name +
                                       "' is the last active admin token; create another admin "
                                       "token before revoking it"));
      }
    }
    BLAZE_TRY_VOID(Exec(db, "UPDATE tokens SET revoked_at = ?1 WHERE id = ?2", {now, t.id}));
    t.revoked_at = now;
    return t;
  });
}

Result<Principal> TokenStore::Authenticate(std::string_view authorization) {
  std::string_view token = Trim(authorization);
  if (token.size() > 7 && (token.substr(0, 7) == "Bearer " || token.substr(0, 7) == "bearer ")) {
    token = Trim(token.substr(7));
  }
  if (token.empty())
    return Fail(Unauthenticated("an API token is required (Authorization: Bearer blz_...)"));
  if (!IsTokenShaped(token)) return Fail(Unauthenticated("malformed API token"));
  std::string hash = Sha256Hex(token);
  auto now = options_.clock->Now();
  struct Row {
    Principal principal;
    std::string hash;
    std::optional<std::string> revoked_at;
    std::optional<std::int64_t> last_used_ms;
  };
  BLAZE_TRY(std::optional<Row> row,
            db_.Read([&](sqlite::Database& db) -> Result<std::optional<Row>> {
              std::optional<Row> found;
              BLAZE_TRY_VOID(Query(db,
                                   "SELECT id, name, scopes, hash, revoked_at, last_used_ms "
                                   "FROM tokens WHERE hash = ?1",
                                   {hash}, [&](sqlite::Statement& s) -> Status {
                                     BLAZE_TRY(Scopes scopes, Scopes::Parse(s.ColumnText(2)));
                                     Row r{{s.ColumnText(0), s.ColumnText(1), scopes},
                                           s.ColumnText(3),
                                           OptionalText(s, 4),
                                           std::nullopt};
                                     if (!sqlite::IsNull(s.Column(5)))
                                       r.last_used_ms = s.ColumnInt(5);
                                     found = std::move(r);
                                     return Ok();
                                   }));
              return found;
            }));
  // The index lookup finds the row; the constant-time compare is what accepts it.
  if (!row || !ConstantTimeEquals(row->hash, hash)) {
    return Fail(Unauthenticated("invalid API token"));
  }
  if (row->revoked_at) {
    return Fail(Unauthenticated("API token '" + row->principal.name + "' was revoked"));
  }
  std::int64_t now_ms = UnixMillis(now);
  auto resolution_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.last_used_resolution).count();
  if (!row->last_used_ms || now_ms - *row->last_used_ms >= resolution_ms) {
    BLAZE_TRY_VOID(db_.Write([&](sqlite::Database& db) {
      return Exec(db, "UPDATE tokens SET last_used_at = ?1, last_used_ms = ?2 WHERE id = ?3",
                  {FormatIso8601(now), now_ms, row->principal.token_id});
    }));
  }
  return row->principal;
}

Result<std::optional<IssuedToken>> TokenStore::EnsureAdminToken(const std::string& data_dir) {
  std::string path = fs::JoinPath(data_dir, "admin.token");
  return db_.Write([&](sqlite::Database& db) -> Result<std::optional<IssuedToken>> {
    BLAZE_TRY(std::int64_t count, db.QueryInt("SELECT COUNT(*) FROM tokens"));
    if (count > 0) return std::optional<IssuedToken>();
    // A file without a row: a crash between writing the file and committing. Adopt its token.
    auto existing = ReadPrivateFile(path, "admin token");
    if (existing.has_value()) {
      std::string token(Trim(*existing));
      if (!IsTokenShaped(token)) {
        return Fail(DataLoss("the admin token file " + path +
                             " does not hold a Blaze token; remove it to have a new one made"));
      }
      BLAZE_TRY(auto issued, Insert(db, "admin", {Scope::kAdmin}, "blaze", token));
      return std::optional<IssuedToken>(std::move(issued));
    }
    if (existing.error().code() != ErrorCode::kNotFound) return Fail(existing.error());
    BLAZE_TRY(std::string token, NewSecret());
    BLAZE_TRY(auto issued, Insert(db, "admin", {Scope::kAdmin}, "blaze", token));
    // The file is written inside the transaction: if writing it fails, no row is committed.
    BLAZE_TRY_VOID(CreatePrivateFile(path, token + "\n"));
    return std::optional<IssuedToken>(std::move(issued));
  });
}

}  // namespace blaze::control
