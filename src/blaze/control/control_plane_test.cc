#include "blaze/control/control_plane.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "blaze/control/control_test_fixture.h"

namespace blaze::control {
namespace {

class ControlPlaneTest : public ControlTest {
 protected:
  void SetUp() override {
    db_.reset();  // the control plane opens its own connection
    cp_ = Must(ControlPlane::Open(Options()));
    admin_ = Principal{"t-admin", "admin", {Scope::kAdmin}};
    deployer_ = Principal{"t-ci", "ci", {Scope::kRead, Scope::kDeploy}};
  }

  ControlPlaneOptions Options() {
    ControlPlaneOptions o;
    o.data_dir = dir_.path();
    o.clock = &clock_;
    o.random = &random_;
    o.secure_random = &secure_random_;
    return o;
  }

  std::unique_ptr<ControlPlane> cp_;
  Principal admin_, deployer_;
};

TEST_F(ControlPlaneTest, TheFirstStartMakesAnAdminTokenThatAuthenticates) {
  auto issued = Must(cp_->EnsureAdminToken());
  ASSERT_TRUE(issued.has_value());
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/admin.token"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/master.key"));
  Principal p = Must(cp_->tokens().Authenticate("Bearer " + issued->token));
  auto audit = Must(cp_->ListAudit(p, {}));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "token.create");
  EXPECT_EQ(audit[0].actor.name, "blaze");
  EXPECT_EQ(audit[0].detail.dump().find(issued->token), std::string::npos);
  EXPECT_FALSE(Must(cp_->EnsureAdminToken()).has_value());
}

TEST_F(ControlPlaneTest, DeployAndRollbackAreAuditedAndScoped) {
  Published p1 = Must(cp_->Deploy(deployer_, MakeVersion("api", "v1")));
  Published p2 = Must(cp_->Deploy(deployer_, MakeVersion("api", "v2")));
  EXPECT_EQ(p2.version.author, "ci");
  Deployment back = Must(cp_->Rollback(deployer_, "api", {.message = "p99 regression"}));
  EXPECT_EQ(back.versions[0].version_id, p1.version.id);
  EXPECT_EQ(back.author, "ci");

  auto audit = Must(cp_->ListAudit(admin_, {}));
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "rollback");
  EXPECT_EQ(audit[0].target, "api");
  EXPECT_EQ(audit[0].detail["message"], "p99 regression");
  EXPECT_EQ(audit[0].detail["version_id"], p1.version.id);
  EXPECT_EQ(audit[2].action, "deploy");
  EXPECT_EQ(audit[2].actor.id, "t-ci");

  Principal reader{"t-r", "reader", {Scope::kRead}};
  Error denied = ErrorOf(cp_->Deploy(reader, MakeVersion("api", "v3")));
  EXPECT_EQ(denied.code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Contains(denied.message(), "lacks the 'deploy' scope"));
  EXPECT_EQ(ErrorOf(cp_->ListAudit(deployer_, {})).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ErrorOf(cp_->PutSecret(deployer_, "api", "K", "v")).code(),
            ErrorCode::kPermissionDenied);
  // Refused changes leave no audit record.
  EXPECT_EQ(Must(cp_->ListAudit(admin_, {.limit = 0})).size(), 3u);
}

TEST_F(ControlPlaneTest, ASecretChangeCreatesAndActivatesANewVersion) {
  Principal ops{"t-ops", "ops", {Scope::kSecrets}};
  // Before the first deploy a secret is just stored.
  SecretChange early = Must(cp_->PutSecret(ops, "api", "API_KEY", "first"));
  EXPECT_FALSE(early.published.has_value());
  Published p1 = Must(cp_->Deploy(deployer_, MakeVersion("api", "v1")));
  EXPECT_EQ(p1.version.secrets.size(), 1u);  // new versions pin the current secrets

  SecretChange change = Must(cp_->PutSecret(ops, "api", "API_KEY", "second"));
  ASSERT_TRUE(change.published.has_value());
  const Published& p2 = *change.published;
  EXPECT_EQ(p2.version.source, VersionSource::kSecret);
  EXPECT_EQ(p2.deployment.source, DeploymentSource::kSecret);
  EXPECT_EQ(p2.version.message, "Secret change: API_KEY set");
  EXPECT_EQ(Must(cp_->versions().Active("api"))->id, p2.deployment.id);
  EXPECT_EQ(Must(cp_->secrets().RevealRefs("api", p2.version.secrets)).at("API_KEY"), "second");
  EXPECT_EQ(Must(cp_->secrets().RevealRefs("api", p1.version.secrets)).at("API_KEY"), "first");

  auto listed = Must(cp_->ListSecrets(ops, "api"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name, "API_KEY");

  SecretChange deleted = Must(cp_->DeleteSecret(ops, "api", "API_KEY"));
  ASSERT_TRUE(deleted.published.has_value());
  EXPECT_TRUE(deleted.published->version.secrets.empty());

  auto audit = Must(cp_->ListAudit(admin_, {.action = "secret"}));
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "secret.delete");
  EXPECT_EQ(audit[1].target, "api/API_KEY");
  EXPECT_EQ(audit[1].detail["version_id"], p2.version.id);
  for (const auto& e : Must(cp_->ListAudit(admin_, {.limit = 0}))) {
    EXPECT_EQ(e.detail.dump().find("second"), std::string::npos);
    EXPECT_EQ(e.detail.dump().find("first"), std::string::npos);
  }
}

TEST_F(ControlPlaneTest, ARefusedSecretChangeStoresNothing) {
  Published p1 = Must(cp_->Deploy(deployer_, MakeVersion("api", "v1")));
  VersionInfo v2 = Must(cp_->UploadVersion(deployer_, MakeVersion("api", "v2")));
  Must(cp_->DeployVersions(deployer_, "api", {{p1.version.id, 90}, {v2.id, 10}}, "canary"));
  Error e = ErrorOf(cp_->PutSecret(admin_, "api", "API_KEY", "v"));
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Must(cp_->secrets().List("api")).empty());
  EXPECT_EQ(Must(cp_->ListAudit(admin_, {.action = "secret"})).size(), 0u);
  // A name a var already uses is refused too.
  Must(cp_->DeployVersions(deployer_, "api", {{v2.id, 100}}, ""));
  Error clash = ErrorOf(cp_->PutSecret(admin_, "api", "MODE", "v"));
  EXPECT_EQ(clash.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(clash.message(), "'MODE' is already the name of a var or binding"));
}

TEST_F(ControlPlaneTest, RollingBackPastASecretChangeRestoresThoseValues) {
  Must(cp_->PutSecret(admin_, "api", "API_KEY", "old"));
  Published p1 = Must(cp_->Deploy(deployer_, MakeVersion("api", "v1")));
  Must(cp_->PutSecret(admin_, "api", "API_KEY", "new"));
  EXPECT_EQ(ErrorOf(cp_->Rollback(deployer_, "api", {})).code(), ErrorCode::kFailedPrecondition);
  Deployment d = Must(cp_->Rollback(deployer_, "api", {.secret_changes = SecretChanges::kAllow}));
  EXPECT_EQ(d.versions[0].version_id, p1.version.id);
  EXPECT_EQ(Must(cp_->secrets().Reveal("api", "API_KEY")), "old");
  // The latest version is no longer the deployed one: a secret change is refused, as Cloudflare.
  EXPECT_EQ(ErrorOf(cp_->PutSecret(admin_, "api", "API_KEY", "x")).code(),
            ErrorCode::kFailedPrecondition);
}

TEST_F(ControlPlaneTest, TokensAreAdminOnlyAndAudited) {
  IssuedToken t = Must(cp_->CreateToken(admin_, "ci", {Scope::kDeploy}));
  EXPECT_EQ(ErrorOf(cp_->CreateToken(deployer_, "x", {Scope::kRead})).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Must(cp_->ListTokens(admin_)).size(), 1u);
  Must(cp_->RevokeToken(admin_, "ci"));
  auto audit = Must(cp_->ListAudit(admin_, {.action = "token"}));
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "token.revoke");
  EXPECT_EQ(audit[1].detail["scopes"], "deploy");
  EXPECT_EQ(audit[1].detail.dump().find(t.token), std::string::npos);
}

TEST_F(ControlPlaneTest, StateSurvivesAReopen) {
  Must(cp_->PutSecret(admin_, "api", "API_KEY", "kept"));
  Published p = Must(cp_->Deploy(deployer_, MakeVersion("api", "v1")));
  cp_.reset();
  cp_ = Must(ControlPlane::Open(Options()));
  EXPECT_EQ(Must(cp_->versions().Active("api"))->id, p.deployment.id);
  EXPECT_EQ(Must(cp_->secrets().Reveal("api", "API_KEY")), "kept");
}

}  // namespace
}  // namespace blaze::control
