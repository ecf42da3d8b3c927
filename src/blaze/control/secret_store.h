// SecretStore: per-worker secrets (`wrangler secret put/list/delete`), encrypted at rest with
// AES-256-GCM under the data directory's master key.
//
// Every Put stores a new immutable encrypted value (a fresh random 96-bit nonce; the worker and
// secret name as associated data, so a ciphertext moved to another secret or worker does not
// decrypt) and points the secret's current value at it. Versions pin value ids (SecretRefs), so
// a rollback brings back the values its version was built with; a value is deleted once neither
// a current secret nor any version refers to it.
//
// MasterKey: <data-dir>/master.key, 32 random bytes, created mode 0600 when absent and never
// overwritten. A check value in control.db detects a different key at open. Startup is refused
// with PermissionDenied when the file is unreadable or readable by group/others, and with
// DataLoss when it has the wrong size, does not match the stored secrets, or is missing while
// encrypted secrets exist.
//
// Secret values appear in no Error message and no log line; List returns names and times only.
// Threads: safe from any thread. Errors: InvalidArgument (names, sizes), NotFound (unknown
// secret), DataLoss (a value that does not decrypt: wrong key or altered bytes), storage errors.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/control/control_db.h"
#include "blaze/control/crypto.h"
#include "blaze/control/version_store.h"

namespace blaze::control {

class MasterKey {
 public:
  // Reads an existing key file: NotFound when absent, PermissionDenied when unreadable or
  // readable by group/others, DataLoss when it is not 32 bytes.
  static Result<MasterKey> Load(const std::string& path);
  // Creates the key file with fresh random bytes (AlreadyExists if it exists: never replaced).
  static Result<MasterKey> Create(const std::string& path, SecureRandom& random);
  // For tests: `bytes` must be 32 bytes.
  static MasterKey FromBytes(std::string bytes);

  MasterKey(MasterKey&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  MasterKey& operator=(MasterKey&& other) noexcept {
    Wipe(bytes_);
    bytes_ = std::move(other.bytes_);
    return *this;
  }
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey() { Wipe(bytes_); }

  std::string_view bytes() const { return bytes_; }

 private:
  explicit MasterKey(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string bytes_;
};

struct SecretInfo {
  std::string name;
  std::string updated_at;  // ISO 8601 UTC
};

struct SecretStoreOptions {
  const Clock* clock = nullptr;
  SecureRandom* random = nullptr;
  std::size_t max_value_bytes = 5 * 1024;  // Cloudflare's limit for a secret or var
};

class SecretStore {
 public:
  // Loads <data-dir>/master.key (creating it only when control.db holds no encrypted secret,
  // so a lost key is reported instead of silently replaced) and opens the store with it.
  static Result<std::unique_ptr<SecretStore>> Open(ControlDb& db, SecretStoreOptions options);
  // Opens with a given key, verified against control.db's check value (written on first use).
  static Result<std::unique_ptr<SecretStore>> OpenWithKey(ControlDb& db, MasterKey key,
                                                          SecretStoreOptions options);

  // Encrypts and stores `value` as the current value of worker/name; returns the new value id.
  Result<std::int64_t> Put(const std::string& worker, const std::string& name,
                           std::string_view value);
  // Names and update times, by name. Never values.
  Result<std::vector<SecretInfo>> List(const std::string& worker);
  // NotFound when the worker has no such secret.
  Status Delete(const std::string& worker, const std::string& name);

  // Internal (for building a worker's env): the current plaintext of one secret.
  Result<std::string> Reveal(const std::string& worker, const std::string& name);
  // The current value ids of every secret of `worker` (what a new version pins).
  Result<SecretRefs> CurrentRefs(const std::string& worker);
  // Internal: the plaintexts a version pinned, name -> value.
  Result<std::map<std::string, std::string>> RevealRefs(const std::string& worker,
                                                        const SecretRefs& refs);
  // Makes `refs` the current secrets of `worker` (after a rollback restored older values).
  Status RestoreRefs(const std::string& worker, const SecretRefs& refs);

 private:
  SecretStore(ControlDb& db, MasterKey key, SecretStoreOptions options)
      : db_(db), key_(std::move(key)), options_(options) {}
  Result<std::string> Decrypt(sqlite::Database& db, const std::string& worker,
                              std::int64_t value_id, const std::string& name);
  Status Prune(sqlite::Database& db, const std::string& worker);

  ControlDb& db_;
  MasterKey key_;
  SecretStoreOptions options_;
};

// Secret names: 1-256 characters from [A-Za-z0-9_], not starting with a digit (a JS identifier
// the worker reads as env.NAME).
Status ValidateSecretName(std::string_view name);

// InvalidArgument unless `value_id` is a stored value of `worker`'s secret `name` (a version or a
// restore may only point at that worker's own ciphertexts).
Status RequireSecretValueOf(sqlite::Database& db, const std::string& worker,
                            const std::string& name, std::int64_t value_id);

}  // namespace blaze::control
