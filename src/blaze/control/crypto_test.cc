#include "blaze/control/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace blaze::control {
namespace {

const std::string kKey(32, 'k');

TEST(Aes256Gcm, SealsAndOpensWithTheSameKeyAndAad) {
  FakeSecureRandom random(1);
  auto sealed = SealAes256Gcm(kKey, "s3cr3t value", "worker/NAME", random).value();
  EXPECT_EQ(sealed.nonce.size(), kGcmNonceBytes);
  EXPECT_EQ(sealed.ciphertext.size(), std::string("s3cr3t value").size() + kGcmTagBytes);
  EXPECT_EQ(sealed.ciphertext.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(OpenAes256Gcm(kKey, sealed, "worker/NAME", "x").value(), "s3cr3t value");
}

TEST(Aes256Gcm, EmptyPlaintextRoundTrips) {
  FakeSecureRandom random(1);
  auto sealed = SealAes256Gcm(kKey, "", "", random).value();
  EXPECT_EQ(OpenAes256Gcm(kKey, sealed, "", "x").value(), "");
}

TEST(Aes256Gcm, EveryFlippedByteIsDataLoss) {
  FakeSecureRandom random(2);
  auto sealed = SealAes256Gcm(kKey, "value", "aad", random).value();
  for (std::size_t i = 0; i < sealed.ciphertext.size(); ++i) {
    SealedValue bad = sealed;
    bad.ciphertext[i] ^= 0x01;
    auto r = OpenAes256Gcm(kKey, bad, "aad", "secret 'A'");
    ASSERT_FALSE(r.has_value()) << "byte " << i;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
    EXPECT_NE(r.error().message().find("secret 'A' cannot be decrypted"), std::string::npos);
  }
  SealedValue bad_nonce = sealed;
  bad_nonce.nonce[0] ^= 0x80;
  EXPECT_EQ(OpenAes256Gcm(kKey, bad_nonce, "aad", "x").error().code(), ErrorCode::kDataLoss);
}

TEST(Aes256Gcm, OtherKeyOtherAadOrTruncationIsDataLoss) {
  FakeSecureRandom random(3);
  auto sealed = SealAes256Gcm(kKey, "value", "aad", random).value();
  EXPECT_EQ(OpenAes256Gcm(std::string(32, 'K'), sealed, "aad", "x").error().code(),
            ErrorCode::kDataLoss);
  EXPECT_EQ(OpenAes256Gcm(kKey, sealed, "other", "x").error().code(), ErrorCode::kDataLoss);
  SealedValue short_one{sealed.nonce, sealed.ciphertext.substr(0, 10)};
  EXPECT_EQ(OpenAes256Gcm(kKey, short_one, "aad", "x").error().code(), ErrorCode::kDataLoss);
}

TEST(Aes256Gcm, EverySealUsesAFreshNonce) {
  OsSecureRandom random;
  std::set<std::string> nonces;
  for (int i = 0; i < 100; ++i) nonces.insert(SealAes256Gcm(kKey, "same", "aad", random)->nonce);
  EXPECT_EQ(nonces.size(), 100u);
}

TEST(SecureRandom, FakeIsDeterministicAndOsIsNot) {
  FakeSecureRandom a(9), b(9);
  EXPECT_EQ(a.Bytes(40).value(), b.Bytes(40).value());
  EXPECT_NE(a.Bytes(40).value(), a.Bytes(40).value());  // successive draws differ
  FakeSecureRandom c(10);
  EXPECT_NE(b.Bytes(40).value(), c.Bytes(40).value());  // and seeds differ
  OsSecureRandom os;
  EXPECT_NE(os.Bytes(32).value(), os.Bytes(32).value());
}

TEST(Encoding, HexSha256AndConstantTimeEquals) {
  EXPECT_EQ(HexEncode("\x01\xab"), "01ab");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  std::string s = "secret";
  Wipe(s);
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace blaze::control
