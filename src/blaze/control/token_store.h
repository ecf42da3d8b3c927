// TokenStore: the bearer tokens of the admin API. A token is "blz_" + 43 base64url characters
// (32 random bytes), shown once when created; control.db keeps only its SHA-256, with an id, a
// name, scopes and created/last-used/revoked times.
//
// Scopes: read (lists, status, views), deploy (deploy, versions, rollback), secrets (secret
// put/list/delete) and admin (tokens, audit; implies every other scope).
//
// First start: EnsureAdminToken() creates an admin token and writes it to
// <data-dir>/admin.token (mode 0600) when control.db has never had a token. If a crash left the
// file without its row, the file's token is adopted rather than replaced.
//
// Threads: safe from any thread. Errors: Unauthenticated (missing, malformed, unknown or revoked
// token), PermissionDenied (a missing scope, naming it), InvalidArgument (names, scopes),
// AlreadyExists (an active token of that name), NotFound (revoking an unknown token),
// FailedPrecondition (revoking the last active admin token), storage errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/control/control_db.h"
#include "blaze/control/crypto.h"

namespace blaze::control {

enum class Scope : std::uint8_t { kRead = 1, kDeploy = 2, kSecrets = 4, kAdmin = 8 };
std::string_view ToString(Scope scope);

class Scopes {
 public:
  Scopes() = default;
  Scopes(std::initializer_list<Scope> scopes);
  // "read,deploy" (spaces allowed); InvalidArgument naming an unknown scope.
  static Result<Scopes> Parse(std::string_view text);

  // Whether `scope` is granted; admin grants everything.
  bool Allows(Scope scope) const;
  bool Contains(Scope scope) const { return (bits_ & static_cast<std::uint8_t>(scope)) != 0; }
  bool empty() const { return bits_ == 0; }
  std::string ToString() const;  // "read,deploy", in that fixed order
  bool operator==(const Scopes&) const = default;

 private:
  std::uint8_t bits_ = 0;
};

// Who is calling: the token that authenticated the request.
struct Principal {
  std::string token_id;
  std::string name;
  Scopes scopes;
};

// PermissionDenied "token 'ci' lacks the 'deploy' scope (it has: read)" unless allowed.
Status RequireScope(const Principal& principal, Scope scope);

struct TokenInfo {
  std::string id;  // UUID
  std::string name;
  Scopes scopes;
  std::string created_at;
  std::string created_by;  // the creating principal's name
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
};

struct IssuedToken {
  TokenInfo info;
  std::string token;  // the secret, shown once and never stored
};

struct TokenStoreOptions {
  const Clock* clock = nullptr;
  Random* random = nullptr;               // token ids
  SecureRandom* secure_random = nullptr;  // token secrets
  // last_used_at is written at most this often per token (not on every request).
  std::chrono::seconds last_used_resolution{60};
};

class TokenStore {
 public:
  TokenStore(ControlDb& db, TokenStoreOptions options);

  Result<IssuedToken> Create(const std::string& name, Scopes scopes, const std::string& created_by);
  // Every token, revoked ones included, newest first.
  Result<std::vector<TokenInfo>> List();
  // By id or name (an active token's name). Refuses to revoke the last active admin token.
  Result<TokenInfo> Revoke(const std::string& id_or_name);
  // `authorization` is an HTTP Authorization value ("Bearer blz_...") or the bare token.
  Result<Principal> Authenticate(std::string_view authorization);

  // Creates the first admin token and writes it to <data_dir>/admin.token when control.db has
  // never held a token; nullopt when nothing was created.
  Result<std::optional<IssuedToken>> EnsureAdminToken(const std::string& data_dir);

 private:
  Result<IssuedToken> Insert(sqlite::Database& db, const std::string& name, Scopes scopes,
                             const std::string& created_by, const std::string& token);
  Result<std::string> NewSecret();

  ControlDb& db_;
  TokenStoreOptions options_;
};

inline constexpr std::string_view kTokenPrefix = "blz_";

}  // namespace blaze::control
