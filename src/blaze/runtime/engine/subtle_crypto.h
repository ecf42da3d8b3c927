// WebCrypto (crypto.subtle) primitives over OpenSSL 3, byte in / byte out. The JS wrapper
// (runtime/webapi/js/subtle.js) does algorithm normalization, CryptoKey bookkeeping and the
// DOMException names; this layer only computes. Asymmetric keys travel as DER: PKCS#8 for
// private keys, SubjectPublicKeyInfo for public keys. Hash names are WebCrypto's ("SHA-256";
// "MD5" for digest only, a Cloudflare extension). Curves: "P-256", "P-384", "P-521".
// Stateless and thread-safe. Errors: InvalidArgument for bad input (unknown hash, wrong key or
// IV size, malformed DER/components), Aborted for an authentication failure (AES-GCM tag, CBC
// padding), Internal for an unexpected OpenSSL failure. Messages carry OpenSSL's reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::engine::subtle {

using Bytes = std::string;

enum class Direction : bool { kDecrypt, kEncrypt };
enum class KeyKind : bool { kPublic, kPrivate };

Result<Bytes> Digest(std::string_view hash, std::string_view data);
Result<Bytes> Hmac(std::string_view hash, std::string_view key, std::string_view data);
// Encrypt returns ciphertext || tag; decrypt expects the same layout. tag_bits: 32..128.
Result<Bytes> AesGcm(Direction direction, std::string_view key, std::string_view iv,
                     std::string_view aad, int tag_bits, std::string_view data);
// PKCS#7 padding, 16-byte IV.
Result<Bytes> AesCbc(Direction direction, std::string_view key, std::string_view iv,
                     std::string_view data);
// bits must be a positive multiple of 8.
Result<Bytes> Pbkdf2(std::string_view hash, std::string_view password, std::string_view salt,
                     uint32_t iterations, size_t bits);
Result<Bytes> Hkdf(std::string_view hash, std::string_view ikm, std::string_view salt,
                   std::string_view info, size_t bits);
// Constant-time comparison; false when the lengths differ.
bool TimingSafeEqual(std::string_view a, std::string_view b);

// ECDSA with IEEE P1363 signatures (r || s, each the curve's field size), as WebCrypto uses.
Result<Bytes> EcdsaSign(std::string_view hash, std::string_view pkcs8, std::string_view data);
Result<bool> EcdsaVerify(std::string_view hash, std::string_view spki, std::string_view data,
                         std::string_view signature);
// RSASSA-PKCS1-v1_5.
Result<Bytes> RsaPkcs1Sign(std::string_view hash, std::string_view pkcs8, std::string_view data);
Result<bool> RsaPkcs1Verify(std::string_view hash, std::string_view spki, std::string_view data,
                            std::string_view signature);

struct KeyPairDer {
  Bytes pkcs8;
  Bytes spki;
};
Result<KeyPairDer> GenerateEc(std::string_view curve);
// public_exponent: big-endian unsigned bytes (WebCrypto's publicExponent), e.g. {1, 0, 1}.
Result<KeyPairDer> GenerateRsa(uint32_t modulus_bits, std::string_view public_exponent);

// An EC key as components. public_point is the uncompressed point 04 || x || y; d is empty
// for a public key, else the private scalar padded to the field size.
struct EcComponents {
  std::string curve;
  Bytes public_point;
  Bytes d;
};
// -> SPKI when d is empty, else PKCS#8. The point is checked to be on the curve.
Result<Bytes> EcKeyFromComponents(const EcComponents& components);
// Parses SPKI (kPublic) or PKCS#8 (kPrivate); fails for a non-EC key or an unsupported curve.
Result<EcComponents> EcKeyComponents(std::string_view der, KeyKind kind);

// An RSA key as big-endian unsigned integers; the private fields are empty for a public key.
struct RsaComponents {
  Bytes n, e, d, p, q, dp, dq, qi;
  uint32_t modulus_bits = 0;  // output only
};
Result<Bytes> RsaKeyFromComponents(const RsaComponents& components);
Result<RsaComponents> RsaKeyComponents(std::string_view der, KeyKind kind);

}  // namespace blaze::engine::subtle
