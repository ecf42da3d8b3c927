#include "blaze/control/secret_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "blaze/control/control_test_fixture.h"
#include "blaze/control/key_file.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::control {
namespace {

constexpr std::string_view kValue = "sk_live_0123456789abcdef";

class SecretStoreTest : public ControlTest {
 protected:
  SecretStoreOptions Options() { return {&clock_, &secure_random_}; }
  std::unique_ptr<SecretStore> OpenStore() { return Must(SecretStore::Open(*db_, Options())); }
  std::string KeyPath() { return dir_.path() + "/master.key"; }
  std::unique_ptr<sqlite::Database> RawDb() {
    return Must(sqlite::Database::Open(dir_.path() + "/control.db", {}));
  }
  std::string ReadKeyBytes() {
    std::ifstream in(KeyPath(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(SecretStoreTest, CreatesA32ByteMasterKeyWithMode0600OnFirstUseAndKeepsIt) {
  ASSERT_FALSE(std::filesystem::exists(KeyPath()));
  auto store = OpenStore();
  struct stat st {};
  ASSERT_EQ(::stat(KeyPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  std::string first = ReadKeyBytes();
  Must(store->Put("api", "API_KEY", kValue));
  store.reset();
  auto again = OpenStore();  // reopened: the same key, never overwritten
  EXPECT_EQ(ReadKeyBytes(), first);
  EXPECT_EQ(Must(again->Reveal("api", "API_KEY")), kValue);
}

TEST_F(SecretStoreTest, PutListRevealDelete) {
  auto store = OpenStore();
  Must(store->Put("api", "API_KEY", kValue));
  clock_.Advance(std::chrono::minutes(1));
  Must(store->Put("api", "DB_PASSWORD", "hunter2"));
  Must(store->Put("other", "API_KEY", "different"));
  auto list = Must(store->List("api"));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "API_KEY");
  EXPECT_EQ(list[0].updated_at, "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(list[1].updated_at, "2025-01-01T00:01:00.000Z");
  EXPECT_EQ(Must(store->Reveal("api", "API_KEY")), kValue);
  EXPECT_EQ(Must(store->Reveal("other", "API_KEY")), "different");

  Must(store->Put("api", "API_KEY", "rotated"));
  EXPECT_EQ(Must(store->Reveal("api", "API_KEY")), "rotated");
  MustOk(store->Delete("api", "API_KEY"));
  EXPECT_EQ(ErrorOf(store->Reveal("api", "API_KEY")).code(), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(store->Delete("api", "API_KEY")).code(), ErrorCode::kNotFound);
  EXPECT_EQ(Must(store->List("api")).size(), 1u);
  // Values referenced by nothing are gone: DB_PASSWORD and other's API_KEY remain.
  EXPECT_EQ(Must(RawDb()->QueryInt("SELECT COUNT(*) FROM secret_values")), 2);
}

TEST_F(SecretStoreTest, ValuesAreEncryptedAtRestWithAFreshNonceEach) {
  auto store = OpenStore();
  Must(store->Put("api", "A", kValue));
  Must(store->Put("api", "B", kValue));
  auto raw = RawDb();
  MustOk(Query(*raw, "SELECT nonce, ciphertext FROM secret_values", {}, [&](sqlite::Statement& s) {
    auto blob = std::get<sqlite::Blob>(s.Column(1)).bytes;
    std::string bytes(blob.begin(), blob.end());
    EXPECT_EQ(bytes.find(kValue), std::string::npos);
    EXPECT_EQ(std::get<sqlite::Blob>(s.Column(0)).bytes.size(), 12u);
    return Ok();
  }));
  EXPECT_EQ(Must(raw->QueryInt("SELECT COUNT(DISTINCT nonce) FROM secret_values")), 2);
  // Nothing in the database file holds the plaintext.
  std::ifstream in(dir_.path() + "/control.db", std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(file.find(kValue), std::string::npos);
}

TEST_F(SecretStoreTest, AFlippedCiphertextByteIsDataLossWithoutTheValue) {
  auto store = OpenStore();
  Must(store->Put("api", "API_KEY", kValue));
  auto raw = RawDb();
  std::vector<std::uint8_t> bytes;
  std::int64_t id = 0;
  MustOk(Query(*raw, "SELECT id, ciphertext FROM secret_values", {}, [&](sqlite::Statement& s) {
    id = s.ColumnInt(0);
    bytes = std::get<sqlite::Blob>(s.Column(1)).bytes;
    return Ok();
  }));
  ASSERT_GT(bytes.size(), 4u);
  bytes[3] ^= 0x01;  // one bit of one byte
  MustOk(Exec(*raw, "UPDATE secret_values SET ciphertext = ?1 WHERE id = ?2",
              {sqlite::Blob{bytes}, id}));
  Error e = ErrorOf(store->Reveal("api", "API_KEY"));
  EXPECT_EQ(e.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(e.message(), "secret 'API_KEY' of worker 'api' cannot be decrypted"))
      << e.message();
  EXPECT_FALSE(Contains(e.message(), kValue));
}

TEST_F(SecretStoreTest, ACiphertextMovedToAnotherSecretDoesNotDecrypt) {
  auto store = OpenStore();
  Must(store->Put("api", "API_KEY", kValue));
  Must(store->Put("api", "OTHER", "x"));
  Must(store->Put("billing", "API_KEY", "y"));
  auto raw = RawDb();
  // Copy api/API_KEY's encrypted bytes over api/OTHER's and billing/API_KEY's.
  MustOk(
      raw->Exec("UPDATE secret_values SET (nonce, ciphertext) = (SELECT nonce, ciphertext FROM "
                "secret_values WHERE worker = 'api' AND name = 'API_KEY') "
                "WHERE NOT (worker = 'api' AND name = 'API_KEY')"));
  EXPECT_EQ(ErrorOf(store->Reveal("api", "OTHER")).code(), ErrorCode::kDataLoss);
  EXPECT_EQ(ErrorOf(store->Reveal("billing", "API_KEY")).code(), ErrorCode::kDataLoss);
  EXPECT_EQ(Must(store->Reveal("api", "API_KEY")), kValue);
}

TEST_F(SecretStoreTest, AWrongMasterKeyIsRefusedAtOpenAndCannotDecrypt) {
  {
    auto store = OpenStore();
    Must(store->Put("api", "API_KEY", kValue));
  }
  auto wrong =
      SecretStore::OpenWithKey(*db_, MasterKey::FromBytes(std::string(32, 'w')), Options());
  Error e = ErrorOf(wrong);
  EXPECT_EQ(e.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(
      Contains(e.message(), "is not the key this data directory's secrets were encrypted with"))
      << e.message();
  // Replace the file itself with another 32-byte key.
  std::filesystem::remove(KeyPath());
  MustOk(CreatePrivateFile(KeyPath(), std::string(32, 'w')));
  EXPECT_EQ(ErrorOf(SecretStore::Open(*db_, Options())).code(), ErrorCode::kDataLoss);
  // Even past the check (a key check row removed), each value refuses to decrypt.
  MustOk(RawDb()->Exec("DELETE FROM control_meta WHERE key = 'master_key_check'"));
  auto store = Must(SecretStore::Open(*db_, Options()));
  Error reveal = ErrorOf(store->Reveal("api", "API_KEY"));
  EXPECT_EQ(reveal.code(), ErrorCode::kDataLoss);
  EXPECT_FALSE(Contains(reveal.message(), kValue));
}

TEST_F(SecretStoreTest, RefusesToStartWithABadKeyFile) {
  MustOk(CreatePrivateFile(KeyPath(), std::string(31, 'k')));
  Error size = ErrorOf(SecretStore::Open(*db_, Options()));
  EXPECT_EQ(size.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(size.message(), "is 31 bytes, not 32")) << size.message();
  EXPECT_EQ(ReadKeyBytes(), std::string(31, 'k'));  // never overwritten

  std::filesystem::remove(KeyPath());
  MustOk(CreatePrivateFile(KeyPath(), std::string(32, 'k')));
  ::chmod(KeyPath().c_str(), 0644);
  Error mode = ErrorOf(SecretStore::Open(*db_, Options()));
  EXPECT_EQ(mode.code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Contains(mode.message(), "mode 0644")) << mode.message();

  std::filesystem::remove(KeyPath());
  std::filesystem::create_directory(KeyPath());  // unreadable as a file
  EXPECT_EQ(ErrorOf(SecretStore::Open(*db_, Options())).code(), ErrorCode::kPermissionDenied);
}

TEST_F(SecretStoreTest, AMissingKeyWithStoredSecretsIsNotSilentlyReplaced) {
  {
    auto store = OpenStore();
    Must(store->Put("api", "API_KEY", kValue));
  }
  std::filesystem::remove(KeyPath());
  Error e = ErrorOf(SecretStore::Open(*db_, Options()));
  EXPECT_EQ(e.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(e.message(), "is missing but control.db holds 1 encrypted secret values"))
      << e.message();
  EXPECT_FALSE(std::filesystem::exists(KeyPath()));
}

TEST_F(SecretStoreTest, NamesAndSizesAreCheckedWithoutEchoingTheValue) {
  auto store = OpenStore();
  EXPECT_EQ(ErrorOf(store->Put("api", "1BAD", "v")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(store->Put("api", "BAD-NAME", "v")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(store->Put("../api", "OK", "v")).code(), ErrorCode::kInvalidArgument);
  std::string big(5 * 1024 + 1, 'z');
  Error e = ErrorOf(store->Put("api", "BIG", big));
  EXPECT_TRUE(Contains(e.message(), "is 5121 bytes; the limit is 5120")) << e.message();
  EXPECT_FALSE(Contains(e.message(), "zzzz"));
  EXPECT_TRUE(store->Put("api", "JUST_FITS", std::string(5 * 1024, 'z')).has_value());
}

TEST_F(SecretStoreTest, VersionsPinValuesAndRestoreRefsBringsThemBack) {
  auto store = OpenStore();
  VersionStore versions(*db_, VersionOptions());
  std::int64_t old_id = Must(store->Put("api", "API_KEY", "old"));
  NewVersion v = MakeVersion("api");
  v.secrets = Must(store->CurrentRefs("api"));
  EXPECT_EQ(v.secrets.at("API_KEY"), old_id);
  VersionInfo pinned = Must(versions.Upload(v));
  Must(store->Put("api", "API_KEY", "new"));
  Must(store->Put("api", "EXTRA", "e"));
  // The old value survives: a version refers to it.
  EXPECT_EQ(Must(store->RevealRefs("api", pinned.secrets)).at("API_KEY"), "old");
  MustOk(store->RestoreRefs("api", pinned.secrets));
  EXPECT_EQ(Must(store->Reveal("api", "API_KEY")), "old");
  EXPECT_EQ(Must(store->List("api")).size(), 1u);  // EXTRA is not part of that version
  EXPECT_EQ(ErrorOf(store->RestoreRefs("api", {{"API_KEY", 9999}})).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace blaze::control
