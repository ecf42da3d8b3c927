#include "blaze/control/crypto.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "blaze/storage/blob/sha256.h"

namespace blaze::control {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// The reason OpenSSL gives, with its per-thread error queue drained.
Error OpenSslError(std::string_view what) {
  unsigned long code = ERR_get_error();
  const char* text = code ? ERR_reason_error_string(code) : nullptr;
  std::string reason = text ? text : "no reason given";
  ERR_clear_error();
  return Internal(std::string(what) + ": " + reason);
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<std::string> SecureRandom::Bytes(std::size_t n) {
  std::string out(n, '\0');
  BLAZE_TRY_VOID(Fill({reinterpret_cast<std::uint8_t*>(out.data()), n}));
  return out;
}

Status OsSecureRandom::Fill(std::span<std::uint8_t> out) {
  if (out.empty()) return Ok();
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Fail(OpenSslError("RAND_bytes"));
  }
  return Ok();
}

Status FakeSecureRandom::Fill(std::span<std::uint8_t> out) {
  std::lock_guard lock(mu_);
  std::size_t filled = 0;
  while (filled < out.size()) {
    unsigned char block[32];
    unsigned int len = 0;
    std::uint64_t input[2] = {seed_, counter_++};
    EVP_Digest(input, sizeof input, block, &len, EVP_sha256(), nullptr);
    for (unsigned i = 0; i < len && filled < out.size(); ++i) out[filled++] = block[i];
  }
  return Ok();
}

Result<SealedValue> SealAes256Gcm(std::string_view key, std::string_view plaintext,
                                  std::string_view aad, SecureRandom& random) {
  BLAZE_CHECK(key.size() == kAes256KeyBytes);
  SealedValue out;
  BLAZE_TRY(out.nonce, random.Bytes(kGcmNonceBytes));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Fail(OpenSslError("EVP_CIPHER_CTX_new"));
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kGcmNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(out.nonce)) != 1) {
    return Fail(OpenSslError("AES-256-GCM init"));
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return Fail(OpenSslError("AES-256-GCM aad"));
  }
  out.ciphertext.resize(plaintext.size() + kGcmTagBytes);
  auto* dst = reinterpret_cast<unsigned char*>(out.ciphertext.data());
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), dst, &len, Bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1) {
      return Fail(OpenSslError("AES-256-GCM encrypt"));
    }
    written = len;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), dst + written, &len) != 1) {
    return Fail(OpenSslError("AES-256-GCM final"));
  }
  written += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, dst + written) != 1) {
    return Fail(OpenSslError("AES-256-GCM tag"));
  }
  out.ciphertext.resize(static_cast<std::size_t>(written) + kGcmTagBytes);
  return out;
}

Result<std::string> OpenAes256Gcm(std::string_view key, const SealedValue& sealed,
                                  std::string_view aad, std::string_view what) {
  BLAZE_CHECK(key.size() == kAes256KeyBytes);
  auto corrupt = [&](std::string_view why) {
    return Fail(DataLoss(std::string(what) + " cannot be decrypted: " + std::string(why)));
  };
  if (sealed.nonce.size() != kGcmNonceBytes || sealed.ciphertext.size() < kGcmTagBytes) {
    return corrupt("the stored value is truncated");
  }
  std::string_view body(sealed.ciphertext.data(), sealed.ciphertext.size() - kGcmTagBytes);
  std::string tag(sealed.ciphertext.substr(body.size()));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Fail(OpenSslError("EVP_CIPHER_CTX_new"));
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kGcmNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(sealed.nonce)) != 1) {
    return Fail(OpenSslError("AES-256-GCM init"));
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return Fail(OpenSslError("AES-256-GCM aad"));
  }
  std::string plaintext(body.size(), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(plaintext.data());
  int written = 0;
  if (!body.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), dst, &len, Bytes(body), static_cast<int>(body.size())) != 1) {
      Wipe(plaintext);
      return Fail(OpenSslError("AES-256-GCM decrypt"));
    }
    written = len;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) != 1) {
    Wipe(plaintext);
    return Fail(OpenSslError("AES-256-GCM tag"));
  }
  if (EVP_DecryptFinal_ex(ctx.get(), dst + written, &len) != 1) {
    ERR_clear_error();
    Wipe(plaintext);
    return corrupt(
        "the authentication tag does not match (a different master key, or the stored bytes "
        "were altered)");
  }
  plaintext.resize(static_cast<std::size_t>(written + len));
  return plaintext;
}

std::string Sha256Hex(std::string_view data) { return blob::Sha256::Of(data); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

void Wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace blaze::control
