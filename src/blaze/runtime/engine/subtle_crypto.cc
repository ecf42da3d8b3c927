// Symmetric WebCrypto primitives: digests, HMAC, AES-GCM/CBC, PBKDF2, HKDF.
#include "blaze/runtime/engine/subtle_crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include <climits>

#include "blaze/runtime/engine/subtle_crypto_openssl.h"

namespace blaze::engine::subtle {

std::string OpenSslMessage(std::string_view what) {
  std::string message(what);
  unsigned long code = ERR_peek_last_error();
  if (code != 0) {
    char reason[256];
    ERR_error_string_n(code, reason, sizeof(reason));
    message += ": ";
    message += reason;
  }
  ERR_clear_error();
  return message;
}

const EVP_MD* DigestByName(std::string_view hash, bool digest_only) {
  if (hash == "SHA-1") return EVP_sha1();
  if (hash == "SHA-256") return EVP_sha256();
  if (hash == "SHA-384") return EVP_sha384();
  if (hash == "SHA-512") return EVP_sha512();
  if (digest_only && hash == "MD5") return EVP_md5();
  return nullptr;
}

namespace {

Result<const EVP_MD*> RequireDigest(std::string_view hash, bool digest_only = false) {
  const EVP_MD* md = DigestByName(hash, digest_only);
  if (md == nullptr) return Fail(InvalidArgument("unsupported hash '" + std::string(hash) + "'"));
  return md;
}

Result<const EVP_CIPHER*> AesCipher(std::string_view mode, size_t key_size) {
  bool gcm = mode == "GCM";
  switch (key_size) {
    case 16:
      return gcm ? EVP_aes_128_gcm() : EVP_aes_128_cbc();
    case 24:
      return gcm ? EVP_aes_192_gcm() : EVP_aes_192_cbc();
    case 32:
      return gcm ? EVP_aes_256_gcm() : EVP_aes_256_cbc();
    default:
      return Fail(InvalidArgument("AES key must be 128, 192 or 256 bits, not " +
                                  std::to_string(key_size * 8)));
  }
}

bool FitsInt(std::string_view s) { return s.size() <= static_cast<size_t>(INT_MAX - 64); }

}  // namespace

Result<Bytes> Digest(std::string_view hash, std::string_view data) {
  BLAZE_TRY(const EVP_MD* md, RequireDigest(hash, /*digest_only=*/true));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, md, nullptr) != 1)
    return Fail(OpenSslFailure("digest failed"));
  return Bytes(reinterpret_cast<char*>(out), size);
}

Result<Bytes> Hmac(std::string_view hash, std::string_view key, std::string_view data) {
  BLAZE_TRY(const EVP_MD* md, RequireDigest(hash));
  MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  if (!ctx) return Fail(OpenSslFailure("HMAC unavailable"));
  std::string digest_name = EVP_MD_get0_name(md);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name.data(), 0),
      OSSL_PARAM_construct_end()};
  static const unsigned char kEmpty = 0;
  const unsigned char* key_bytes = key.empty() ? &kEmpty : Data(key);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t size = 0;
  if (EVP_MAC_init(ctx.get(), key_bytes, key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), Data(data), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &size, sizeof(out)) != 1)
    return Fail(OpenSslFailure("HMAC failed"));
  return Bytes(reinterpret_cast<char*>(out), size);
}

Result<Bytes> AesGcm(Direction direction, std::string_view key, std::string_view iv,
                     std::string_view aad, int tag_bits, std::string_view data) {
  BLAZE_TRY(const EVP_CIPHER* cipher, AesCipher("GCM", key.size()));
  if (iv.empty() || !FitsInt(iv)) return Fail(InvalidArgument("AES-GCM IV must not be empty"));
  if (tag_bits < 32 || tag_bits > 128 || (tag_bits % 8 != 0 && tag_bits != 32))
    return Fail(InvalidArgument("invalid AES-GCM tag length " + std::to_string(tag_bits)));
  if (!FitsInt(aad) || !FitsInt(data)) return Fail(InvalidArgument("AES-GCM input too large"));
  size_t tag_size = static_cast<size_t>(tag_bits) / 8;
  bool encrypt = direction == Direction::kEncrypt;
  std::string_view body = data;
  Bytes tag;
  if (!encrypt) {
    if (data.size() < tag_size) return Fail(Aborted("AES-GCM ciphertext is shorter than the tag"));
    body = data.substr(0, data.size() - tag_size);
    tag.assign(data.substr(data.size() - tag_size));
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypt) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()),
                          nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, Data(key), Data(iv), encrypt) != 1)
    return Fail(OpenSslFailure("AES-GCM setup failed"));
  int len = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx.get(), nullptr, &len, Data(aad), static_cast<int>(aad.size())) != 1)
    return Fail(OpenSslFailure("AES-GCM AAD failed"));
  Bytes out(body.size() + 16, '\0');
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  int total = 0;
  if (!body.empty()) {
    if (EVP_CipherUpdate(ctx.get(), out_bytes, &len, Data(body), static_cast<int>(body.size())) !=
        1)
      return Fail(OpenSslFailure("AES-GCM failed"));
    total = len;
  }
  if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                                      tag.data()) != 1)
    return Fail(OpenSslFailure("AES-GCM tag setup failed"));
  if (EVP_CipherFinal_ex(ctx.get(), out_bytes + total, &len) != 1) {
    if (encrypt) return Fail(OpenSslFailure("AES-GCM failed"));
    ERR_clear_error();
    return Fail(Aborted("AES-GCM authentication failed"));
  }
  total += len;
  out.resize(static_cast<size_t>(total));
  if (encrypt) {
    tag.assign(tag_size, '\0');
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size),
                            tag.data()) != 1)
      return Fail(OpenSslFailure("AES-GCM tag failed"));
    out += tag;
  }
  return out;
}

Result<Bytes> AesCbc(Direction direction, std::string_view key, std::string_view iv,
                     std::string_view data) {
  BLAZE_TRY(const EVP_CIPHER* cipher, AesCipher("CBC", key.size()));
  if (iv.size() != 16) return Fail(InvalidArgument("AES-CBC IV must be 16 bytes"));
  if (!FitsInt(data)) return Fail(InvalidArgument("AES-CBC input too large"));
  bool encrypt = direction == Direction::kEncrypt;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, Data(key), Data(iv), encrypt) != 1)
    return Fail(OpenSslFailure("AES-CBC setup failed"));
  Bytes out(data.size() + 16, '\0');
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  int len = 0, total = 0;
  if (EVP_CipherUpdate(ctx.get(), out_bytes, &len, Data(data), static_cast<int>(data.size())) != 1)
    return Fail(OpenSslFailure("AES-CBC failed"));
  total = len;
  if (EVP_CipherFinal_ex(ctx.get(), out_bytes + total, &len) != 1) {
    if (encrypt) return Fail(OpenSslFailure("AES-CBC failed"));
    ERR_clear_error();
    return Fail(Aborted("AES-CBC decryption failed (bad padding or length)"));
  }
  out.resize(static_cast<size_t>(total + len));
  return out;
}

Result<Bytes> Pbkdf2(std::string_view hash, std::string_view password, std::string_view salt,
                     uint32_t iterations, size_t bits) {
  BLAZE_TRY(const EVP_MD* md, RequireDigest(hash));
  if (bits == 0 || bits % 8 != 0) return Fail(InvalidArgument("length must be a multiple of 8"));
  if (iterations == 0) return Fail(InvalidArgument("iterations must be greater than 0"));
  if (iterations > INT_MAX || !FitsInt(password) || !FitsInt(salt) || bits / 8 > INT_MAX)
    return Fail(InvalidArgument("PBKDF2 parameters too large"));
  Bytes out(bits / 8, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), Data(salt),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), md,
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1)
    return Fail(OpenSslFailure("PBKDF2 failed"));
  return out;
}

Result<Bytes> Hkdf(std::string_view hash, std::string_view ikm, std::string_view salt,
                   std::string_view info, size_t bits) {
  BLAZE_TRY(const EVP_MD* md, RequireDigest(hash));
  if (bits == 0 || bits % 8 != 0) return Fail(InvalidArgument("length must be a multiple of 8"));
  if (bits / 8 > 255 * static_cast<size_t>(EVP_MD_get_size(md)))
    return Fail(InvalidArgument("HKDF length is too large for the hash"));
  KdfPtr kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) return Fail(OpenSslFailure("HKDF unavailable"));
  std::string digest_name = EVP_MD_get0_name(md);
  // OpenSSL rejects a missing key; an empty one is passed as a zero-length buffer.
  static unsigned char kEmpty = 0;
  auto buf = [](std::string_view s) {
    return s.empty() ? static_cast<void*>(&kEmpty) : const_cast<char*>(s.data());
  };
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, buf(ikm), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, buf(salt), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, buf(info), info.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(bits / 8, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params) !=
      1)
    return Fail(OpenSslFailure("HKDF failed"));
  return out;
}

bool TimingSafeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace blaze::engine::subtle
