// Known-answer tests for the WebCrypto primitives: FIPS 180 / RFC 1321 digests, RFC 4231 HMAC,
// the GCM spec's AES-GCM test cases 2-4, SP 800-38A and RFC 3602 AES-CBC, RFC 6070 PBKDF2 (+ a
// SHA-256 vector), RFC 5869 HKDF, RFC 6979 A.2.5 (an ECDSA P-256 signature verified as given),
// and an RSASSA-PKCS1-v1_5 signature made by the openssl CLI (deterministic, so signing must
// reproduce it byte for byte).
#include "blaze/runtime/engine/subtle_crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace blaze::engine::subtle {
namespace {

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

Bytes Unhex(std::string_view hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

template <typename T>
T Ok(Result<T> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
  return r ? *r : T{};
}

constexpr const char* kRsaPkcs8 =
    "30820276020100300d06092a864886f70d0101010500048202603082025c02010002818100cdbd334ddeb836"
    "fb2e65d438f763f444bb8b76e95db6b6b02b28250d88ad4fa43ddcdfd0cec950d113d9a5d53d09bb3951050e"
    "d5631440b3da47075e2f2266a4faec8dcfacbad8c71cbe56055ad89ee33cbddcc7353a3cd895d302f161aa9b"
    "154fd23ab7fbf9eac288671b0d954ccf57d6aca09463c261d4b9745aa6fab74adf0203010001028181008b8a"
    "81db94edd8ccb0817c594ee1ca713bcab1d2422f84e523c04cb14b3c5142127b568a67567fabef0cb5bf5570"
    "de3d57c858713e8c23fe5853c89986da8c46ae544e5159a149002068062556f7f4fef43b5dec103846400ddc"
    "b7d117623d040b58fa0ad54281db261cbab1abad2b64228a0c165df8eeaf9e55020426b06b11024100e9ade9"
    "f672571f360c7a25df280406c9ecb7cbb0d3fd28a36c99339716edfe665e2fe3b4c89625b693e4855ecfcbf6"
    "52b8481455232f325a03496ff262a8d8b3024100e1641256289fd045eb7c9a51c7433ddb736b1b4ec32add89"
    "e7063278942ed6dcaba4388efb84596b5437f095ba5f1d8078ac97c364901e24074ff26d7f52a32502402028"
    "81e91b8527d36d5625fe16e8aef27cf43240ec7b8b6b2a17cf44bcb015f18a86b6a47b72465060fbf2eac058"
    "06570deb45790df581cd676464d68b83470702400101f687061578d3e7329e6a012f0ec6bd645c31e4f37b1c"
    "13b9565e6da32bf8be97b45d0748d73180a5e36077fdd6deed2b305e824396aee88d75f3015fb83502401f6e"
    "69608d7dc5470e81986719c20d7dc44fc921fe8f7ae4e394c64064789e1eda2bb2611e087b4162ec65c00521"
    "913f4aed5995494c0214c35ef03d04197ba3";
constexpr const char* kRsaSpki =
    "30819f300d06092a864886f70d010101050003818d0030818902818100cdbd334ddeb836fb2e65d438f763f4"
    "44bb8b76e95db6b6b02b28250d88ad4fa43ddcdfd0cec950d113d9a5d53d09bb3951050ed5631440b3da4707"
    "5e2f2266a4faec8dcfacbad8c71cbe56055ad89ee33cbddcc7353a3cd895d302f161aa9b154fd23ab7fbf9ea"
    "c288671b0d954ccf57d6aca09463c261d4b9745aa6fab74adf0203010001";
constexpr const char* kRsaSigHelloBlaze =
    "96adb2c3e0a8e27f70a5e1f5a24834f81725cde780ffe76c301416bae8b3168b0630c9d11adaf769bee74602"
    "01c48202abde5531dff93e92640de99fceb5358cc4eeeb95e02fb4d5a533e4c7bf986ea7c40fed5703f13254"
    "a434f027d06c77f9e7501aebed6c88e58a23e42fa6c9511a08a4b558b4173d706cfb7a2720f094c2";

TEST(SubtleCrypto, DigestsMatchFips180AndRfc1321) {
  EXPECT_EQ(Hex(Ok(Digest("SHA-1", "abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(Ok(Digest("SHA-256", "abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Ok(Digest("SHA-256", ""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Ok(Digest("SHA-384", "abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(Hex(Ok(Digest("SHA-512", "abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(Hex(Ok(Digest("MD5", "abc"))), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(SubtleCrypto, DigestRejectsUnknownHashAsInvalidArgument) {
  auto r = Digest("SHA-3", "abc");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Hmac("MD5", "k", "d"));  // MD5 is a digest-only extension
}

TEST(SubtleCrypto, HmacMatchesRfc4231) {
  EXPECT_EQ(Hex(Ok(Hmac("SHA-256", Bytes(20, '\x0b'), "Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(Ok(Hmac("SHA-512", Bytes(20, '\x0b'), "Hi There"))),
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
            "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
  EXPECT_EQ(Hex(Ok(Hmac("SHA-256", "Jefe", "what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(Ok(Hmac("SHA-384", "Jefe", "what do ya want for nothing?"))),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
            "8e2240ca5e69e2c78b3239ecfab21649");
}

TEST(SubtleCrypto, AesGcmMatchesTheGcmSpecTestCases) {
  EXPECT_EQ(Hex(Ok(AesGcm(Direction::kEncrypt, Bytes(16, '\0'), Bytes(12, '\0'), "", 128,
                          Bytes(16, '\0')))),
            "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
  Bytes key = Unhex("feffe9928665731c6d6a8f9467308308");
  Bytes iv = Unhex("cafebabefacedbaddecaf888");
  Bytes plain = Unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
  std::string c3 =
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
  EXPECT_EQ(Hex(Ok(AesGcm(Direction::kEncrypt, key, iv, "", 128, plain))),
            c3 + "4d5c2af327cd64a62cf35abd2ba6fab4");
  Bytes aad = Unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  std::string c4 = c3.substr(0, 120) + "5bc94fbc3221a5db94fae95ae7121a47";
  EXPECT_EQ(Hex(Ok(AesGcm(Direction::kEncrypt, key, iv, aad, 128, plain.substr(0, 60)))), c4);
  EXPECT_EQ(Ok(AesGcm(Direction::kDecrypt, key, iv, aad, 128, Unhex(c4))), plain.substr(0, 60));
  // Truncated tags keep the leading bytes.
  EXPECT_EQ(Hex(Ok(AesGcm(Direction::kEncrypt, key, iv, aad, 96, plain.substr(0, 60)))),
            c4.substr(0, c4.size() - 8));
}

TEST(SubtleCrypto, AesGcmReportsTamperingAsAborted) {
  Bytes key(32, 'k'), iv(12, 'i');
  Bytes sealed = Ok(AesGcm(Direction::kEncrypt, key, iv, "aad", 128, "secret"));
  sealed[0] ^= 1;
  auto r = AesGcm(Direction::kDecrypt, key, iv, "aad", 128, sealed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kAborted);
  EXPECT_FALSE(AesGcm(Direction::kDecrypt, key, iv, "", 128, "short"));
  EXPECT_EQ(AesGcm(Direction::kEncrypt, Bytes(15, 'k'), iv, "", 128, "x").error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(AesGcm(Direction::kEncrypt, key, "", "", 128, "x"));
  EXPECT_FALSE(AesGcm(Direction::kEncrypt, key, iv, "", 100, "x"));
}

TEST(SubtleCrypto, AesCbcMatchesSp80038aAndRfc3602WithPkcs7Padding) {
  Bytes key = Unhex("2b7e151628aed2a6abf7158809cf4f3c");
  Bytes iv = Unhex("000102030405060708090a0b0c0d0e0f");
  Bytes plain = Unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  Bytes sealed = Ok(AesCbc(Direction::kEncrypt, key, iv, plain));
  ASSERT_EQ(sealed.size(), 48u);  // + one full padding block
  EXPECT_EQ(Hex(sealed.substr(0, 32)),
            "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
  EXPECT_EQ(Ok(AesCbc(Direction::kDecrypt, key, iv, sealed)), plain);
  Bytes rfc = Ok(AesCbc(Direction::kEncrypt, Unhex("06a9214036b8a15b512e03d534120006"),
                        Unhex("3dafba429d9eb430b422da802c9fac41"), "Single block msg"));
  EXPECT_EQ(Hex(rfc.substr(0, 16)), "e353779c1079aeb82708942dbe77181a");
  sealed.back() ^= 0x55;
  auto bad = AesCbc(Direction::kDecrypt, key, iv, sealed);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kAborted);
  EXPECT_FALSE(AesCbc(Direction::kEncrypt, key, "short iv", plain));
}

TEST(SubtleCrypto, Pbkdf2MatchesRfc6070AndASha256Vector) {
  EXPECT_EQ(Hex(Ok(Pbkdf2("SHA-1", "password", "salt", 1, 160))),
            "0c60c80f961f0e71f3a9b524af6012062fe037a6");
  EXPECT_EQ(Hex(Ok(Pbkdf2("SHA-1", "password", "salt", 2, 160))),
            "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
  EXPECT_EQ(Hex(Ok(Pbkdf2("SHA-1", "password", "salt", 4096, 160))),
            "4b007901b765489abead49d926f721d065a429c1");
  EXPECT_EQ(Hex(Ok(Pbkdf2("SHA-1", "passwordPASSWORDpassword",
                          "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 200))),
            "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
  EXPECT_EQ(Hex(Ok(Pbkdf2("SHA-1", Bytes("pass\0word", 9), Bytes("sa\0lt", 5), 4096, 128))),
            "56fa6aa75548099dcc37d7f03425e0c3");
  EXPECT_EQ(Hex(Ok(Pbkdf2("SHA-256", "password", "salt", 4096, 256))),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
  EXPECT_FALSE(Pbkdf2("SHA-256", "p", "s", 0, 256));
  EXPECT_FALSE(Pbkdf2("SHA-256", "p", "s", 1, 12));
}

TEST(SubtleCrypto, HkdfMatchesRfc5869) {
  Bytes ikm(22, '\x0b');
  EXPECT_EQ(Hex(Ok(Hkdf("SHA-256", ikm, Unhex("000102030405060708090a0b0c"),
                        Unhex("f0f1f2f3f4f5f6f7f8f9"), 42 * 8))),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            "34007208d5b887185865");
  EXPECT_EQ(Hex(Ok(Hkdf("SHA-256", ikm, "", "", 42 * 8))),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            "9d201395faa4b61a96c8");
  EXPECT_EQ(Hex(Ok(Hkdf("SHA-1", Bytes(11, '\x0b'), Unhex("000102030405060708090a0b0c"),
                        Unhex("f0f1f2f3f4f5f6f7f8f9"), 42 * 8))),
            "085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2"
            "c22e422478d305f3f896");
  EXPECT_FALSE(Hkdf("SHA-256", ikm, "", "", 255 * 32 * 8 + 8));
}

TEST(SubtleCrypto, TimingSafeEqualComparesBytesAndLengths) {
  EXPECT_TRUE(TimingSafeEqual("abc", "abc"));
  EXPECT_FALSE(TimingSafeEqual("abc", "abd"));
  EXPECT_FALSE(TimingSafeEqual("abc", "abcd"));
  EXPECT_TRUE(TimingSafeEqual("", ""));
}

TEST(SubtleCrypto, EcdsaVerifiesTheRfc6979P256SignatureFromComponents) {
  Bytes point = Unhex(
      "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
      "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
  Bytes d = Unhex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
  Bytes sig = Unhex(
      "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
      "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
  Bytes spki = Ok(EcKeyFromComponents({"P-256", point, ""}));
  EXPECT_TRUE(Ok(EcdsaVerify("SHA-256", spki, "sample", sig)));
  EXPECT_FALSE(Ok(EcdsaVerify("SHA-256", spki, "samplf", sig)));
  EXPECT_FALSE(Ok(EcdsaVerify("SHA-256", spki, "sample", sig.substr(1))));
  // The private key signs (randomized), and its own public half verifies.
  Bytes pkcs8 = Ok(EcKeyFromComponents({"P-256", point, d}));
  Bytes mine = Ok(EcdsaSign("SHA-256", pkcs8, "sample"));
  EXPECT_EQ(mine.size(), 64u);
  EXPECT_TRUE(Ok(EcdsaVerify("SHA-256", spki, "sample", mine)));
  EcComponents back = Ok(EcKeyComponents(pkcs8, KeyKind::kPrivate));
  EXPECT_EQ(back.curve, "P-256");
  EXPECT_EQ(back.public_point, point);
  EXPECT_EQ(back.d, d);
  EXPECT_EQ(Ok(EcKeyComponents(spki, KeyKind::kPublic)).public_point, point);
}

TEST(SubtleCrypto, EcKeysOffTheCurveOrMalformedAreInvalidArgument) {
  Bytes bad_point = "\x04" + Bytes(64, '\x01');
  auto r = EcKeyFromComponents({"P-256", bad_point, ""});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(EcKeyFromComponents({"P-192", bad_point, ""}));
  EXPECT_FALSE(EcKeyComponents("not der", KeyKind::kPublic));
  EXPECT_FALSE(EcdsaSign("SHA-256", Unhex(kRsaPkcs8), "x"));  // an RSA key
}

TEST(SubtleCrypto, GeneratedEcKeysSignAndVerifyOnP256AndP384) {
  for (const char* curve : {"P-256", "P-384", "P-521"}) {
    KeyPairDer pair = Ok(GenerateEc(curve));
    size_t field = std::string(curve) == "P-256" ? 32 : std::string(curve) == "P-384" ? 48 : 66;
    Bytes sig = Ok(EcdsaSign("SHA-384", pair.pkcs8, "message"));
    EXPECT_EQ(sig.size(), 2 * field) << curve;
    EXPECT_TRUE(Ok(EcdsaVerify("SHA-384", pair.spki, "message", sig))) << curve;
    EXPECT_FALSE(Ok(EcdsaVerify("SHA-256", pair.spki, "message", sig))) << curve;
    EXPECT_EQ(Ok(EcKeyComponents(pair.spki, KeyKind::kPublic)).curve, curve);
  }
}

TEST(SubtleCrypto, RsaPkcs1ReproducesAndVerifiesAnOpensslCliSignature) {
  Bytes pkcs8 = Unhex(kRsaPkcs8), spki = Unhex(kRsaSpki), sig = Unhex(kRsaSigHelloBlaze);
  EXPECT_EQ(Hex(Ok(RsaPkcs1Sign("SHA-256", pkcs8, "hello blaze"))), kRsaSigHelloBlaze);
  EXPECT_TRUE(Ok(RsaPkcs1Verify("SHA-256", spki, "hello blaze", sig)));
  EXPECT_FALSE(Ok(RsaPkcs1Verify("SHA-256", spki, "hello blaze!", sig)));
  EXPECT_FALSE(Ok(RsaPkcs1Verify("SHA-512", spki, "hello blaze", sig)));
}

TEST(SubtleCrypto, RsaComponentsRoundTripThroughDer) {
  RsaComponents priv = Ok(RsaKeyComponents(Unhex(kRsaPkcs8), KeyKind::kPrivate));
  EXPECT_EQ(priv.modulus_bits, 1024u);
  EXPECT_EQ(Hex(priv.e), "010001");
  EXPECT_FALSE(priv.qi.empty());
  Bytes again = Ok(RsaKeyFromComponents(priv));
  EXPECT_EQ(Hex(Ok(RsaPkcs1Sign("SHA-256", again, "hello blaze"))), kRsaSigHelloBlaze);
  RsaComponents pub = Ok(RsaKeyComponents(Unhex(kRsaSpki), KeyKind::kPublic));
  EXPECT_TRUE(pub.d.empty());
  EXPECT_EQ(Hex(Ok(RsaKeyFromComponents(pub))), kRsaSpki);
  EXPECT_FALSE(RsaKeyComponents(Unhex(kRsaSpki), KeyKind::kPrivate));
}

TEST(SubtleCrypto, GeneratedRsaKeysSignAndVerify) {
  KeyPairDer pair = Ok(GenerateRsa(1024, Unhex("010001")));
  Bytes sig = Ok(RsaPkcs1Sign("SHA-1", pair.pkcs8, "m"));
  EXPECT_EQ(sig.size(), 128u);
  EXPECT_TRUE(Ok(RsaPkcs1Verify("SHA-1", pair.spki, "m", sig)));
  EXPECT_FALSE(GenerateRsa(1024, Unhex("02")));
}

}  // namespace
}  // namespace blaze::engine::subtle
