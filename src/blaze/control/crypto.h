// The cryptography the control plane needs, on OpenSSL: a secure-randomness seam, AES-256-GCM
// sealing with associated data, SHA-256, constant-time comparison and hex (base64url is in
// base/base64.h).
//
// Threads: all functions are thread-safe; OsSecureRandom and FakeSecureRandom may be shared.
// Errors: Internal when OpenSSL itself fails; DataLoss when a sealed value does not verify (wrong
// key, altered bytes, or other associated data). Messages never contain plaintext or keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::control {

// Randomness for key material, nonces and tokens. base/ids.h's Random is for identifiers only
// (a seeded PRNG); anything an attacker must not guess comes from here.
class SecureRandom {
 public:
  virtual ~SecureRandom() = default;
  virtual Status Fill(std::span<std::uint8_t> out) = 0;
  // `n` random bytes.
  Result<std::string> Bytes(std::size_t n);
};

// The OS's CSPRNG through OpenSSL's RAND_bytes.
class OsSecureRandom final : public SecureRandom {
 public:
  Status Fill(std::span<std::uint8_t> out) override;
};

// Deterministic bytes for tests (SHA-256 of seed and counter). Never use outside tests.
class FakeSecureRandom final : public SecureRandom {
 public:
  explicit FakeSecureRandom(std::uint64_t seed) : seed_(seed) {}
  Status Fill(std::span<std::uint8_t> out) override;

 private:
  std::mutex mu_;
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

inline constexpr std::size_t kAes256KeyBytes = 32;
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

struct SealedValue {
  std::string nonce;       // 12 random bytes, fresh for every seal
  std::string ciphertext;  // the encrypted bytes followed by the 16-byte tag
};

// AES-256-GCM: `key` must be 32 bytes (a bug otherwise). `aad` is authenticated, not stored.
Result<SealedValue> SealAes256Gcm(std::string_view key, std::string_view plaintext,
                                  std::string_view aad, SecureRandom& random);
// DataLoss ("<what> cannot be decrypted: ...") when the tag does not verify.
Result<std::string> OpenAes256Gcm(std::string_view key, const SealedValue& sealed,
                                  std::string_view aad, std::string_view what);

// Lowercase hex SHA-256.
std::string Sha256Hex(std::string_view data);
// Equal length and bytes, in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
std::string HexEncode(std::string_view bytes);
// Overwrites `s`'s bytes before it is released (for key material and plaintext copies).
void Wipe(std::string& s);

}  // namespace blaze::control
