#include "blaze/control/secret_store.h"

#include <cctype>

#include "blaze/base/ids.h"
#include "blaze/control/key_file.h"
#include "blaze/storage/fs/env.h"

namespace blaze::control {
namespace {

constexpr std::string_view kCheckPlaintext = "blaze master key check v1";
constexpr std::string_view kCheckAad = "blaze/master-key-check/v1";
constexpr std::size_t kMaxSecretNameBytes = 256;

// Binds a ciphertext to its place: moving it to another worker or name makes it fail to open.
std::string SecretAad(const std::string& worker, const std::string& name) {
  std::string aad = "blaze/secret/v1";
  aad += '\0';
  aad += worker;
  aad += '\0';
  aad += name;
  return aad;
}

sqlite::Blob ToBlob(std::string_view s) { return {std::vector<std::uint8_t>(s.begin(), s.end())}; }

std::string FromColumn(sqlite::Statement& s, int i) {
  sqlite::Value v = s.Column(i);
  if (auto* b = std::get_if<sqlite::Blob>(&v)) return std::string(b->bytes.begin(), b->bytes.end());
  if (auto* t = std::get_if<std::string>(&v)) return *t;
  return std::string();
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Fail(DataLoss("malformed hex in control.db"));
  std::string out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return Fail(DataLoss("malformed hex in control.db"));
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

Result<std::int64_t> CountSecretValues(ControlDb& db) {
  return db.Read(
      [](sqlite::Database& conn) { return conn.QueryInt("SELECT COUNT(*) FROM secret_values"); });
}

}  // namespace

Status ValidateSecretName(std::string_view name) {
  auto bad = [&](const char* why) {
    return Fail(InvalidArgument("invalid secret name '" + std::string(name) + "': " + why));
  };
  if (name.empty()) return bad("must not be empty");
  if (name.size() > kMaxSecretNameBytes) return bad("must be at most 256 characters");
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return bad("must not start with a digit");
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return bad("only letters, digits and '_' are allowed");
    }
  }
  return Ok();
}

Status RequireSecretValueOf(sqlite::Database& db, const std::string& worker,
                            const std::string& name, std::int64_t value_id) {
  BLAZE_TRY(auto owned,
            QueryFirstInt(db,
                          "SELECT 1 FROM secret_values WHERE id = ?1 AND worker = ?2 AND name = ?3",
                          {value_id, worker, name}));
  if (!owned) {
    return Fail(InvalidArgument("secret '" + name + "' (value " + std::to_string(value_id) +
                                ") is not a stored secret of worker '" + worker + "'"));
  }
  return Ok();
}

Result<MasterKey> MasterKey::Load(const std::string& path) {
  BLAZE_TRY(std::string bytes, ReadPrivateFile(path, "master key"));
  if (bytes.size() != kAes256KeyBytes) {
    std::size_t size = bytes.size();
    Wipe(bytes);
    return Fail(DataLoss("the master key " + path + " is " + std::to_string(size) +
                         " bytes, not 32; refusing to start (restore master.key from a backup: "
                         "without the right key the stored secrets cannot be decrypted)"));
  }
  return MasterKey(std::move(bytes));
}

Result<MasterKey> MasterKey::Create(const std::string& path, SecureRandom& random) {
  BLAZE_TRY(std::string bytes, random.Bytes(kAes256KeyBytes));
  auto created = CreatePrivateFile(path, bytes);
  if (!created.has_value()) {
    Wipe(bytes);
    return Fail(created.error());
  }
  return MasterKey(std::move(bytes));
}

MasterKey MasterKey::FromBytes(std::string bytes) {
  BLAZE_CHECK(bytes.size() == kAes256KeyBytes);
  return MasterKey(std::move(bytes));
}

Result<std::unique_ptr<SecretStore>> SecretStore::Open(ControlDb& db, SecretStoreOptions options) {
  BLAZE_CHECK(options.clock && options.random);
  std::string path = fs::JoinPath(db.data_dir(), "master.key");
  auto key = MasterKey::Load(path);
  if (!key.has_value() && key.error().code() == ErrorCode::kNotFound) {
    BLAZE_TRY(std::int64_t stored, CountSecretValues(db));
    if (stored > 0) {
      return Fail(DataLoss(
          "the master key " + path + " is missing but control.db holds " + std::to_string(stored) +
          " encrypted secret values; refusing to start (restore master.key from a backup: a "
          "new key could not decrypt them)"));
    }
    key = MasterKey::Create(path, *options.random);
    if (!key.has_value() && key.error().code() == ErrorCode::kAlreadyExists) {
      key = MasterKey::Load(path);  // another process created it first
    }
  }
  if (!key.has_value()) return Fail(key.error());
  return OpenWithKey(db, std::move(*key), options);
}

Result<std::unique_ptr<SecretStore>> SecretStore::OpenWithKey(ControlDb& db, MasterKey key,
                                                              SecretStoreOptions options) {
  BLAZE_CHECK(options.clock && options.random);
  BLAZE_TRY_VOID(db.Write([&](sqlite::Database& conn) -> Status {
    BLAZE_TRY(auto check,
              QueryFirstText(conn, "SELECT value FROM control_meta WHERE key = 'master_key_check'",
                             {}));
    if (!check) {
      BLAZE_TRY(SealedValue sealed,
                SealAes256Gcm(key.bytes(), kCheckPlaintext, kCheckAad, *options.random));
      return Exec(conn, "INSERT INTO control_meta(key, value) VALUES ('master_key_check', ?1)",
                  {HexEncode(sealed.nonce) + ":" + HexEncode(sealed.ciphertext)});
    }
    std::size_t colon = check->find(':');
    if (colon == std::string::npos)
      return Fail(DataLoss("control.db's master key check is malformed"));
    SealedValue sealed;
    BLAZE_TRY(sealed.nonce, HexDecode(std::string_view(*check).substr(0, colon)));
    BLAZE_TRY(sealed.ciphertext, HexDecode(std::string_view(*check).substr(colon + 1)));
    auto opened = OpenAes256Gcm(key.bytes(), sealed, kCheckAad, "the master key check");
    if (!opened.has_value() || *opened != kCheckPlaintext) {
      return Fail(DataLoss(
          "the master key " + fs::JoinPath(db.data_dir(), "master.key") +
          " is not the key this data directory's secrets were encrypted with; refusing to start "
          "(restore the matching master.key from a backup)"));
    }
    return Ok();
  }));
  return std::unique_ptr<SecretStore>(new SecretStore(db, std::move(key), options));
}

Result<std::int64_t> SecretStore::Put(const std::string& worker, const std::string& name,
                                      std::string_view value) {
  BLAZE_TRY_VOID(ValidateName(worker, "worker name"));
  BLAZE_TRY_VOID(ValidateSecretName(name));
  if (value.size() > options_.max_value_bytes) {
    return Fail(InvalidArgument("the value of secret '" + name + "' is " +
                                std::to_string(value.size()) + " bytes; the limit is " +
                                std::to_string(options_.max_value_bytes)));
  }
  BLAZE_TRY(SealedValue sealed,
            SealAes256Gcm(key_.bytes(), value, SecretAad(worker, name), *options_.random));
  std::string now = FormatIso8601(options_.clock->Now());
  return db_.Write([&](sqlite::Database& db) -> Result<std::int64_t> {
    BLAZE_TRY_VOID(Exec(db,
                        "INSERT INTO secret_values(worker, name, nonce, ciphertext, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)",
                        {worker, name, ToBlob(sealed.nonce), ToBlob(sealed.ciphertext), now}));
    std::int64_t id = db.LastInsertRowId();
    BLAZE_TRY_VOID(Exec(db,
                        "INSERT INTO secrets(worker, name, value_id, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(worker, name) DO UPDATE SET "
                        "value_id = excluded.value_id, updated_at = excluded.updated_at",
                        {worker, name, id, now}));
    BLAZE_TRY_VOID(Prune(db, worker));
    return id;
  });
}

Result<std::vector<SecretInfo>> SecretStore::List(const std::string& worker) {
  return db_.Read([&](sqlite::Database& db) -> Result<std::vector<SecretInfo>> {
    std::vector<SecretInfo> out;
    BLAZE_TRY_VOID(Query(db, "SELECT name, updated_at FROM secrets WHERE worker = ?1 ORDER BY name",
                         {worker}, [&](sqlite::Statement& s) {
                           out.push_back({s.ColumnText(0), s.ColumnText(1)});
                           return Ok();
                         }));
    return out;
  });
}

Status SecretStore::Delete(const std::string& worker, const std::string& name) {
  return db_.Write([&](sqlite::Database& db) -> Status {
    BLAZE_TRY_VOID(Exec(db, "DELETE FROM secrets WHERE worker = ?1 AND name = ?2", {worker, name}));
    if (db.Changes() == 0) {
      return Fail(NotFound("secret '" + name + "' not found for worker '" + worker +
                           "' (`blaze secret list` shows its secrets)"));
    }
    return Prune(db, worker);
  });
}

Status SecretStore::Prune(sqlite::Database& db, const std::string& worker) {
  return Exec(db,
              "DELETE FROM secret_values WHERE worker = ?1 "
              "AND id NOT IN (SELECT value_id FROM secrets WHERE worker = ?1) "
              "AND id NOT IN (SELECT value_id FROM version_secrets)",
              {worker});
}

Result<std::string> SecretStore::Decrypt(sqlite::Database& db, const std::string& worker,
                                         std::int64_t value_id, const std::string& name) {
  std::optional<SealedValue> sealed;
  BLAZE_TRY_VOID(Query(db, "SELECT nonce, ciphertext FROM secret_values WHERE id = ?1", {value_id},
                       [&](sqlite::Statement& s) {
                         sealed = SealedValue{FromColumn(s, 0), FromColumn(s, 1)};
                         return Ok();
                       }));
  std::string what = "secret '" + name + "' of worker '" + worker + "'";
  if (!sealed) return Fail(DataLoss(what + " refers to a stored value that is missing"));
  return OpenAes256Gcm(key_.bytes(), *sealed, SecretAad(worker, name), what);
}

Result<std::string> SecretStore::Reveal(const std::string& worker, const std::string& name) {
  return db_.Read([&](sqlite::Database& db) -> Result<std::string> {
    BLAZE_TRY(auto id, QueryFirstInt(db,
                                     "SELECT value_id FROM secrets WHERE worker = ?1 AND name = ?2",
                                     {worker, name}));
    if (!id) return Fail(NotFound("secret '" + name + "' not found for worker '" + worker + "'"));
    return Decrypt(db, worker, *id, name);
  });
}

Result<SecretRefs> SecretStore::CurrentRefs(const std::string& worker) {
  return db_.Read([&](sqlite::Database& db) -> Result<SecretRefs> {
    SecretRefs refs;
    BLAZE_TRY_VOID(Query(db, "SELECT name, value_id FROM secrets WHERE worker = ?1", {worker},
                         [&](sqlite::Statement& s) {
                           refs[s.ColumnText(0)] = s.ColumnInt(1);
                           return Ok();
                         }));
    return refs;
  });
}

Result<std::map<std::string, std::string>> SecretStore::RevealRefs(const std::string& worker,
                                                                   const SecretRefs& refs) {
  return db_.Read([&](sqlite::Database& db) -> Result<std::map<std::string, std::string>> {
    std::map<std::string, std::string> out;
    for (const auto& [name, id] : refs) {
      auto value = Decrypt(db, worker, id, name);
      if (!value.has_value()) {
        for (auto& [_, v] : out) Wipe(v);
        return Fail(value.error());
      }
      out[name] = std::move(*value);
    }
    return out;
  });
}

Status SecretStore::RestoreRefs(const std::string& worker, const SecretRefs& refs) {
  std::string now = FormatIso8601(options_.clock->Now());
  return db_.Write([&](sqlite::Database& db) -> Status {
    BLAZE_TRY(SecretRefs current, CurrentRefs(worker));
    for (const auto& [name, id] : current) {
      if (!refs.contains(name)) {
        BLAZE_TRY_VOID(
            Exec(db, "DELETE FROM secrets WHERE worker = ?1 AND name = ?2", {worker, name}));
      }
    }
    for (const auto& [name, id] : refs) {
      if (auto it = current.find(name); it != current.end() && it->second == id) continue;
      BLAZE_TRY_VOID(RequireSecretValueOf(db, worker, name, id));
      BLAZE_TRY_VOID(Exec(db,
                          "INSERT INTO secrets(worker, name, value_id, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(worker, name) DO UPDATE SET "
                          "value_id = excluded.value_id, updated_at = excluded.updated_at",
                          {worker, name, id, now}));
    }
    return Prune(db, worker);
  });
}

}  // namespace blaze::control
