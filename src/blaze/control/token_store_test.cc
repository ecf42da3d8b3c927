#include "blaze/control/token_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "blaze/base/base64.h"
#include "blaze/control/control_test_fixture.h"
#include "blaze/control/key_file.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::control {
namespace {

class TokenStoreTest : public ControlTest {
 protected:
  void SetUp() override {
    ControlTest::SetUp();
    tokens_ =
        std::make_unique<TokenStore>(*db_, TokenStoreOptions{&clock_, &random_, &secure_random_});
  }
  std::string TokenPath() { return dir_.path() + "/admin.token"; }
  std::unique_ptr<TokenStore> tokens_;
};

TEST(Scopes, ParseFormatAndAdminImpliesAll) {
  Scopes s = Scopes::Parse("deploy, read").value();
  EXPECT_EQ(s.ToString(), "read,deploy");
  EXPECT_TRUE(s.Allows(Scope::kRead));
  EXPECT_FALSE(s.Allows(Scope::kSecrets));
  Scopes admin{Scope::kAdmin};
  for (Scope x : {Scope::kRead, Scope::kDeploy, Scope::kSecrets, Scope::kAdmin}) {
    EXPECT_TRUE(admin.Allows(x));
  }
  auto bad = Scopes::Parse("read,write");
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(Contains(bad.error().message(), "unknown scope 'write'"));
}

TEST(Scopes, RequireScopeNamesTheMissingOne) {
  Principal ci{"id-1", "ci", {Scope::kRead}};
  EXPECT_TRUE(RequireScope(ci, Scope::kRead).has_value());
  auto denied = RequireScope(ci, Scope::kDeploy);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(denied.error().message(), "token 'ci' lacks the 'deploy' scope (it has: read)");
}

TEST_F(TokenStoreTest, ATokenIsShownOnceAndStoredOnlyAsItsHash) {
  IssuedToken t = Must(tokens_->Create("ci", {Scope::kRead, Scope::kDeploy}, "admin"));
  EXPECT_TRUE(t.token.starts_with("blz_"));
  EXPECT_EQ(t.token.size(), 47u);
  EXPECT_TRUE(IsUuid(t.info.id));
  auto raw = Must(sqlite::Database::Open(dir_.path() + "/control.db", {}));
  std::string stored;
  MustOk(Query(*raw, "SELECT hash FROM tokens", {}, [&](sqlite::Statement& s) {
    stored = s.ColumnText(0);
    return Ok();
  }));
  EXPECT_EQ(stored, Sha256Hex(t.token));
  std::ifstream in(dir_.path() + "/control.db", std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(file.find(t.token.substr(4)), std::string::npos);

  Principal p = Must(tokens_->Authenticate("Bearer " + t.token));
  EXPECT_EQ(p.token_id, t.info.id);
  EXPECT_EQ(p.name, "ci");
  EXPECT_EQ(p.scopes.ToString(), "read,deploy");
  EXPECT_EQ(Must(tokens_->Authenticate(t.token)).name, "ci");  // bare token too
}

TEST_F(TokenStoreTest, UnknownMalformedAndRevokedTokensAreUnauthenticated) {
  IssuedToken admin = Must(tokens_->Create("root", {Scope::kAdmin}, "blaze"));
  IssuedToken ci = Must(tokens_->Create("ci", {Scope::kDeploy}, "root"));
  std::string forged = ci.token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string(""), std::string("Bearer "), std::string("blz_short"),
                                 std::string("Bearer xyz"), forged}) {
    auto r = tokens_->Authenticate(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kUnauthenticated) << bad;
  }
  TokenInfo revoked = Must(tokens_->Revoke("ci"));
  EXPECT_EQ(revoked.revoked_at, "2025-01-01T00:00:00.000Z");
  Error e = ErrorOf(tokens_->Authenticate(ci.token));
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(Contains(e.message(), "was revoked"));
  EXPECT_EQ(ErrorOf(tokens_->Revoke(ci.info.id)).code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ErrorOf(tokens_->Revoke("nobody")).code(), ErrorCode::kNotFound);
  // A revoked name can be reused.
  EXPECT_TRUE(tokens_->Create("ci", {Scope::kRead}, "root").has_value());
  EXPECT_EQ(ErrorOf(tokens_->Create("ci", {Scope::kRead}, "root")).code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(Must(tokens_->Authenticate(admin.token)).name, "root");
}

TEST_F(TokenStoreTest, TheLastAdminTokenCannotBeRevoked) {
  IssuedToken first = Must(tokens_->Create("admin", {Scope::kAdmin}, "blaze"));
  Error e = ErrorOf(tokens_->Revoke("admin"));
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(e.message(), "last active admin token"));
  Must(tokens_->Create("admin2", {Scope::kRead, Scope::kAdmin}, "admin"));
  EXPECT_TRUE(tokens_->Revoke(first.info.id).has_value());
}

TEST_F(TokenStoreTest, LastUsedIsRecordedAtMostOncePerResolution) {
  IssuedToken t = Must(tokens_->Create("ci", {Scope::kRead}, "admin"));
  EXPECT_FALSE(Must(tokens_->List())[0].last_used_at.has_value());
  Must(tokens_->Authenticate(t.token));
  EXPECT_EQ(Must(tokens_->List())[0].last_used_at, "2025-01-01T00:00:00.000Z");
  clock_.Advance(std::chrono::seconds(30));
  Must(tokens_->Authenticate(t.token));
  EXPECT_EQ(Must(tokens_->List())[0].last_used_at, "2025-01-01T00:00:00.000Z");
  clock_.Advance(std::chrono::seconds(30));
  Must(tokens_->Authenticate(t.token));
  EXPECT_EQ(Must(tokens_->List())[0].last_used_at, "2025-01-01T00:01:00.000Z");
}

TEST_F(TokenStoreTest, NamesAndScopesAreValidated) {
  EXPECT_EQ(ErrorOf(tokens_->Create("", {Scope::kRead}, "a")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(tokens_->Create("a b", {Scope::kRead}, "a")).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(tokens_->Create("ok", Scopes(), "a")).code(), ErrorCode::kInvalidArgument);
}

TEST_F(TokenStoreTest, TheFirstStartWritesAnAdminTokenFileOnce) {
  auto issued = Must(tokens_->EnsureAdminToken(dir_.path()));
  ASSERT_TRUE(issued.has_value());
  struct stat st {};
  ASSERT_EQ(::stat(TokenPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  std::string file = Must(ReadPrivateFile(TokenPath(), "admin token"));
  EXPECT_EQ(file, issued->token + "\n");
  Principal p = Must(tokens_->Authenticate(file));
  EXPECT_TRUE(p.scopes.Allows(Scope::kAdmin));
  EXPECT_EQ(p.name, "admin");

  // Later starts change nothing, even if the operator removed the file.
  EXPECT_FALSE(Must(tokens_->EnsureAdminToken(dir_.path())).has_value());
  std::filesystem::remove(TokenPath());
  EXPECT_FALSE(Must(tokens_->EnsureAdminToken(dir_.path())).has_value());
  EXPECT_FALSE(std::filesystem::exists(TokenPath()));
  EXPECT_EQ(Must(tokens_->List()).size(), 1u);
}

TEST_F(TokenStoreTest, AnAdminTokenFileWithoutItsRowIsAdopted) {
  // As if a crash came between writing the file and committing the row.
  std::string token = "blz_" + Base64UrlEncode(std::string(32, 'x'));
  MustOk(CreatePrivateFile(TokenPath(), token + "\n"));
  auto adopted = Must(tokens_->EnsureAdminToken(dir_.path()));
  ASSERT_TRUE(adopted.has_value());
  EXPECT_EQ(Must(tokens_->Authenticate(token)).name, "admin");
  EXPECT_EQ(Must(ReadPrivateFile(TokenPath(), "admin token")), token + "\n");
}

}  // namespace
}  // namespace blaze::control
