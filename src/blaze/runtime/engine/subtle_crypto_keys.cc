// Asymmetric WebCrypto primitives: ECDSA (P1363 signatures), RSASSA-PKCS1-v1_5, key
// generation and DER <-> component conversions (OSSL_PARAM based, no deprecated EC_KEY/RSA).
#include <openssl/core_names.h>

#include <vector>

#include "blaze/runtime/engine/subtle_crypto.h"
#include "blaze/runtime/engine/subtle_crypto_openssl.h"

namespace blaze::engine::subtle {
namespace {

// WebCrypto curve name <-> OpenSSL group name.
const char* GroupForCurve(std::string_view curve) {
  if (curve == "P-256") return "prime256v1";
  if (curve == "P-384") return "secp384r1";
  if (curve == "P-521") return "secp521r1";
  return nullptr;
}
const char* CurveForGroup(std::string_view group) {
  if (group == "prime256v1" || group == "P-256") return "P-256";
  if (group == "secp384r1" || group == "P-384") return "P-384";
  if (group == "secp521r1" || group == "P-521") return "P-521";
  return nullptr;
}

Result<PkeyPtr> ParseDer(std::string_view der, KeyKind kind) {
  const unsigned char* p = Data(der);
  long size = static_cast<long>(der.size());
  if (kind == KeyKind::kPublic) {
    PkeyPtr key(d2i_PUBKEY(nullptr, &p, size));
    if (!key) return Fail(OpenSslBadInput("invalid SubjectPublicKeyInfo"));
    if (p != Data(der) + der.size()) return Fail(InvalidArgument("trailing data after SPKI"));
    return key;
  }
  Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, size));
  if (!info) return Fail(OpenSslBadInput("invalid PKCS#8"));
  if (p != Data(der) + der.size()) return Fail(InvalidArgument("trailing data after PKCS#8"));
  PkeyPtr key(EVP_PKCS82PKEY(info.get()));
  if (!key) return Fail(OpenSslBadInput("invalid PKCS#8 key"));
  return key;
}

Result<Bytes> ToDer(EVP_PKEY* key, KeyKind kind) {
  unsigned char* out = nullptr;
  int size = 0;
  if (kind == KeyKind::kPublic) {
    size = i2d_PUBKEY(key, &out);
  } else {
    Pkcs8Ptr info(EVP_PKEY2PKCS8(key));
    if (info) size = i2d_PKCS8_PRIV_KEY_INFO(info.get(), &out);
  }
  if (size <= 0 || out == nullptr) return Fail(OpenSslFailure("key encoding failed"));
  Bytes der(reinterpret_cast<char*>(out), static_cast<size_t>(size));
  OPENSSL_free(out);
  return der;
}

Result<KeyPairDer> ToPair(EVP_PKEY* key) {
  BLAZE_TRY(Bytes pkcs8, ToDer(key, KeyKind::kPrivate));
  BLAZE_TRY(Bytes spki, ToDer(key, KeyKind::kPublic));
  return KeyPairDer{std::move(pkcs8), std::move(spki)};
}

Result<PkeyPtr> ParseTyped(std::string_view der, KeyKind kind, const char* type) {
  BLAZE_TRY(PkeyPtr key, ParseDer(der, kind));
  if (!EVP_PKEY_is_a(key.get(), type))
    return Fail(InvalidArgument(std::string("the key is not an ") + type + " key"));
  return key;
}

// Field size of an EC key in bytes (32 for P-256, 66 for P-521).
size_t EcFieldBytes(EVP_PKEY* key) { return (static_cast<size_t>(EVP_PKEY_get_bits(key)) + 7) / 8; }

Result<Bytes> SignDer(std::string_view hash, EVP_PKEY* key, std::string_view data) {
  const EVP_MD* md = DigestByName(hash);
  if (md == nullptr) return Fail(InvalidArgument("unsupported hash '" + std::string(hash) + "'"));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, Data(data), data.size()) != 1)
    return Fail(OpenSslFailure("signing failed"));
  Bytes sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, Data(data),
                     data.size()) != 1)
    return Fail(OpenSslFailure("signing failed"));
  sig.resize(size);
  return sig;
}

Result<bool> VerifyDer(std::string_view hash, EVP_PKEY* key, std::string_view data,
                       std::string_view sig) {
  const EVP_MD* md = DigestByName(hash);
  if (md == nullptr) return Fail(InvalidArgument("unsupported hash '" + std::string(hash) + "'"));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) != 1)
    return Fail(OpenSslFailure("verification setup failed"));
  int rc = EVP_DigestVerify(ctx.get(), Data(sig), sig.size(), Data(data), data.size());
  ERR_clear_error();  // a bad signature is an answer (false), not an error
  return rc == 1;
}

Result<Bytes> BnBytes(const EVP_PKEY* key, const char* name, size_t pad, bool optional) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    ERR_clear_error();
    if (optional) return Bytes();
    return Fail(Internal(std::string("key has no ") + name));
  }
  BnPtr bn(raw);
  size_t size = pad != 0 ? pad : static_cast<size_t>(BN_num_bytes(bn.get()));
  Bytes out(size, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) <
      0)
    return Fail(Internal(std::string("key component too large: ") + name));
  return out;
}

bool PushBn(OSSL_PARAM_BLD* bld, const char* name, std::string_view bytes,
            std::vector<BnPtr>* keep) {
  BnPtr bn(BN_bin2bn(Data(bytes), static_cast<int>(bytes.size()), nullptr));
  if (!bn || OSSL_PARAM_BLD_push_BN(bld, name, bn.get()) != 1) return false;
  keep->push_back(std::move(bn));  // the builder references the BIGNUM until to_param
  return true;
}

Result<PkeyPtr> FromData(const char* type, OSSL_PARAM_BLD* bld, KeyKind kind) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  int selection = kind == KeyKind::kPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1)
    return Fail(OpenSslBadInput(std::string("invalid ") + type + " key"));
  return PkeyPtr(raw);
}

}  // namespace

Result<Bytes> EcdsaSign(std::string_view hash, std::string_view pkcs8, std::string_view data) {
  BLAZE_TRY(PkeyPtr key, ParseTyped(pkcs8, KeyKind::kPrivate, "EC"));
  BLAZE_TRY(Bytes der, SignDer(hash, key.get(), data));
  const unsigned char* p = Data(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return Fail(OpenSslFailure("bad ECDSA signature from OpenSSL"));
  size_t n = EcFieldBytes(key.get());
  Bytes out(2 * n, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, static_cast<int>(n)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + n, static_cast<int>(n)) < 0)
    return Fail(Internal("ECDSA signature conversion failed"));
  return out;
}

Result<bool> EcdsaVerify(std::string_view hash, std::string_view spki, std::string_view data,
                         std::string_view signature) {
  BLAZE_TRY(PkeyPtr key, ParseTyped(spki, KeyKind::kPublic, "EC"));
  size_t n = EcFieldBytes(key.get());
  if (signature.size() != 2 * n) return false;
  BnPtr r(BN_bin2bn(Data(signature), static_cast<int>(n), nullptr));
  BnPtr s(BN_bin2bn(Data(signature) + n, static_cast<int>(n), nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
    return Fail(OpenSslFailure("ECDSA signature conversion failed"));
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return Fail(OpenSslFailure("ECDSA signature encoding failed"));
  Bytes der_sig(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return VerifyDer(hash, key.get(), data, der_sig);
}

Result<Bytes> RsaPkcs1Sign(std::string_view hash, std::string_view pkcs8, std::string_view data) {
  BLAZE_TRY(PkeyPtr key, ParseTyped(pkcs8, KeyKind::kPrivate, "RSA"));
  return SignDer(hash, key.get(), data);
}

Result<bool> RsaPkcs1Verify(std::string_view hash, std::string_view spki, std::string_view data,
                            std::string_view signature) {
  BLAZE_TRY(PkeyPtr key, ParseTyped(spki, KeyKind::kPublic, "RSA"));
  return VerifyDer(hash, key.get(), data, signature);
}

Result<KeyPairDer> GenerateEc(std::string_view curve) {
  const char* group = GroupForCurve(curve);
  if (group == nullptr)
    return Fail(InvalidArgument("unsupported curve '" + std::string(curve) + "'"));
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group));
  if (!key) return Fail(OpenSslFailure("EC key generation failed"));
  return ToPair(key.get());
}

Result<KeyPairDer> GenerateRsa(uint32_t modulus_bits, std::string_view public_exponent) {
  if (modulus_bits < 512 || modulus_bits > 16384 || modulus_bits % 8 != 0)
    return Fail(InvalidArgument("unsupported RSA modulus length " + std::to_string(modulus_bits)));
  BnPtr e(BN_bin2bn(Data(public_exponent), static_cast<int>(public_exponent.size()), nullptr));
  if (!e || !BN_is_odd(e.get()) || BN_num_bits(e.get()) < 2 || BN_num_bits(e.get()) > 32)
    return Fail(InvalidArgument("unsupported RSA public exponent"));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(modulus_bits)) != 1 ||
      EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) != 1 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1)
    return Fail(OpenSslFailure("RSA key generation failed"));
  PkeyPtr key(raw);
  return ToPair(key.get());
}

Result<Bytes> EcKeyFromComponents(const EcComponents& c) {
  const char* group = GroupForCurve(c.curve);
  if (group == nullptr) return Fail(InvalidArgument("unsupported curve '" + c.curve + "'"));
  KeyKind kind = c.d.empty() ? KeyKind::kPublic : KeyKind::kPrivate;
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> keep;
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, c.public_point.data(),
                                       c.public_point.size()) != 1 ||
      (kind == KeyKind::kPrivate && !PushBn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, c.d, &keep)))
    return Fail(OpenSslFailure("EC parameters"));
  BLAZE_TRY(PkeyPtr key, FromData("EC", bld.get(), kind));
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  bool ok = check && (kind == KeyKind::kPublic ? EVP_PKEY_public_check(check.get())
                                               : EVP_PKEY_check(check.get())) == 1;
  if (!ok) return Fail(OpenSslBadInput("invalid EC key"));
  return ToDer(key.get(), kind);
}

Result<EcComponents> EcKeyComponents(std::string_view der, KeyKind kind) {
  BLAZE_TRY(PkeyPtr key, ParseTyped(der, kind, "EC"));
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                     &len) != 1)
    return Fail(OpenSslBadInput("EC key without a named curve"));
  const char* curve = CurveForGroup(group);
  if (curve == nullptr) return Fail(InvalidArgument(std::string("unsupported curve ") + group));
  size_t n = EcFieldBytes(key.get());
  EcComponents c{curve, "\x04", ""};
  BLAZE_TRY(Bytes x, BnBytes(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, n, false));
  BLAZE_TRY(Bytes y, BnBytes(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, n, false));
  c.public_point += x + y;
  if (kind == KeyKind::kPrivate) {
    BLAZE_TRY(Bytes d, BnBytes(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, n, false));
    c.d = std::move(d);
  }
  return c;
}

Result<Bytes> RsaKeyFromComponents(const RsaComponents& c) {
  KeyKind kind = c.d.empty() ? KeyKind::kPublic : KeyKind::kPrivate;
  if (c.n.empty() || c.e.empty()) return Fail(InvalidArgument("RSA key needs n and e"));
  bool crt = !c.p.empty();
  if (kind == KeyKind::kPrivate && crt &&
      (c.q.empty() || c.dp.empty() || c.dq.empty() || c.qi.empty()))
    return Fail(InvalidArgument("incomplete RSA private key"));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> keep;
  bool ok = bld && PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_N, c.n, &keep) &&
            PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_E, c.e, &keep);
  if (ok && kind == KeyKind::kPrivate) {
    ok = PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_D, c.d, &keep);
    if (ok && crt)
      ok = PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, c.p, &keep) &&
           PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, c.q, &keep) &&
           PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, c.dp, &keep) &&
           PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, c.dq, &keep) &&
           PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, c.qi, &keep);
  }
  if (!ok) return Fail(OpenSslFailure("RSA parameters"));
  BLAZE_TRY(PkeyPtr key, FromData("RSA", bld.get(), kind));
  return ToDer(key.get(), kind);
}

Result<RsaComponents> RsaKeyComponents(std::string_view der, KeyKind kind) {
  BLAZE_TRY(PkeyPtr key, ParseTyped(der, kind, "RSA"));
  RsaComponents c;
  c.modulus_bits = static_cast<uint32_t>(EVP_PKEY_get_bits(key.get()));
  BLAZE_TRY(c.n, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_N, 0, false));
  BLAZE_TRY(c.e, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_E, 0, false));
  if (kind == KeyKind::kPrivate) {
    BLAZE_TRY(c.d, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_D, 0, false));
    BLAZE_TRY(c.p, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, 0, true));
    BLAZE_TRY(c.q, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, 0, true));
    BLAZE_TRY(c.dp, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, 0, true));
    BLAZE_TRY(c.dq, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, 0, true));
    BLAZE_TRY(c.qi, BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0, true));
  }
  return c;
}

}  // namespace blaze::engine::subtle
