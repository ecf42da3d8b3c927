#include "blaze/control/version_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "blaze/control/control_test_fixture.h"
#include "blaze/control/secret_store.h"
#include "blaze/storage/sqlite/database.h"
#include "blaze/storage/sqlite/faulty_vfs.h"

namespace blaze::control {
namespace {

class VersionStoreTest : public ControlTest {
 protected:
  void SetUp() override {
    ControlTest::SetUp();
    store_ = std::make_unique<VersionStore>(*db_, VersionOptions());
  }

  Published DeployBody(const std::string& worker, const std::string& body) {
    clock_.Advance(std::chrono::seconds(1));
    return Must(store_->UploadAndDeploy(MakeVersion(worker, body), {"tester", "deploy " + body}));
  }

  std::unique_ptr<sqlite::Database> RawDb() {
    return Must(sqlite::Database::Open(dir_.path() + "/control.db", {}));
  }

  std::unique_ptr<VersionStore> store_;
};

TEST_F(VersionStoreTest, DeployStoresAnImmutableVersionAndActivatesIt) {
  Published p = DeployBody("scores-api", "v1");
  EXPECT_TRUE(IsUuid(p.version.id));
  EXPECT_EQ(p.version.number, 1);
  EXPECT_EQ(p.version.created_at, "2025-01-01T00:00:01.000Z");
  EXPECT_EQ(p.deployment.versions, (std::vector<TrafficShare>{{p.version.id, 100}}));
  EXPECT_EQ(p.deployment.source, DeploymentSource::kDeploy);

  auto active = Must(store_->Active("scores-api"));
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->id, p.deployment.id);
  EXPECT_EQ(active->message, "deploy v1");

  Version v = Must(store_->GetVersion("scores-api", p.version.id));
  EXPECT_EQ(v.modules, MakeVersion("scores-api", "v1").modules);
  EXPECT_EQ(v.info.main_module, "index.js");
  EXPECT_EQ(v.info.config, MakeVersion("scores-api").config);
  ASSERT_EQ(v.info.modules.size(), 2u);
  EXPECT_EQ(v.info.modules[0].path, "index.js");
  EXPECT_EQ(v.info.modules[1].sha256, Sha256Hex("export const text = 'hello';\n"));

  Published p2 = DeployBody("scores-api", "v2");
  EXPECT_EQ(p2.version.number, 2);
  auto versions = Must(store_->ListVersions("scores-api"));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].id, p2.version.id);  // newest first
  auto history = Must(store_->ListDeployments("scores-api"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].id, p2.deployment.id);
  EXPECT_EQ(Must(store_->ListWorkers()), (std::vector<std::string>{"scores-api"}));
  // The first version is untouched by the second.
  EXPECT_EQ(Must(store_->GetVersion("scores-api", p.version.id)).modules,
            MakeVersion("scores-api", "v1").modules);
}

TEST_F(VersionStoreTest, IdenticalModulesAreStoredOnce) {
  DeployBody("a", "v1");
  DeployBody("a", "v2");
  DeployBody("b", "v1");  // same bytes as a's first version
  auto raw = RawDb();
  // index.js v1, index.js v2, lib/text.js: three distinct files across five module entries.
  EXPECT_EQ(Must(raw->QueryInt("SELECT COUNT(*) FROM module_blobs")), 3);
  EXPECT_EQ(Must(raw->QueryInt("SELECT COUNT(*) FROM version_modules")), 6);
}

TEST_F(VersionStoreTest, UploadThenSplitTrafficBetweenTwoVersions) {
  DeployBody("api", "v1");
  VersionInfo a = Must(store_->Upload(MakeVersion("api", "a")));
  VersionInfo b = Must(store_->Upload(MakeVersion("api", "b")));
  // Uploading does not deploy.
  EXPECT_NE(Must(store_->Active("api"))->versions[0].version_id, b.id);

  Deployment d = Must(store_->Deploy("api", {{a.id, 90}, {b.id, 10}}, {"tester", "canary"}));
  auto active = Must(store_->Active("api"));
  EXPECT_EQ(active->versions, (std::vector<TrafficShare>{{a.id, 90}, {b.id, 10}}));
  EXPECT_EQ(active->primary().version_id, a.id);
  EXPECT_EQ(active->id, d.id);

  EXPECT_EQ(ErrorOf(store_->Deploy("api", {{a.id, 90}, {b.id, 5}}, {})).code(),
            ErrorCode::kInvalidArgument);
  VersionInfo c = Must(store_->Upload(MakeVersion("api", "c")));
  EXPECT_TRUE(
      Contains(ErrorOf(store_->Deploy("api", {{a.id, 50}, {b.id, 25}, {c.id, 25}}, {})).message(),
               "at most 2 versions"));
  VersionInfo other = Must(store_->Upload(MakeVersion("other", "x")));
  Error e = ErrorOf(store_->Deploy("api", {{other.id, 100}}, {}));
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Contains(e.message(), "not found for worker 'api'")) << e.message();
  EXPECT_EQ(ErrorOf(store_->Deploy("nope", {{a.id, 100}}, {})).code(), ErrorCode::kNotFound);
}

TEST_F(VersionStoreTest, RollbackDefaultsToThePreviousStableDeploymentAndRecordsTheMessage) {
  Published v1 = DeployBody("api", "v1");
  Published v2 = DeployBody("api", "v2");
  Published v3 = DeployBody("api", "v3");
  Deployment back = Must(store_->Rollback("api", {.message = "bad release"}));
  EXPECT_EQ(back.versions, (std::vector<TrafficShare>{{v2.version.id, 100}}));
  EXPECT_EQ(back.source, DeploymentSource::kRollback);
  EXPECT_EQ(back.message, "bad release");
  EXPECT_EQ(Must(store_->Active("api"))->id, back.id);
  // Rolling back again goes to the deployment before the rollback (v3), as wrangler does.
  Deployment again = Must(store_->Rollback("api", {}));
  EXPECT_EQ(again.versions[0].version_id, v3.version.id);
  EXPECT_EQ(again.message, "Rollback");
  // An explicit version.
  Deployment to_v1 = Must(store_->Rollback("api", {.version_id = v1.version.id}));
  EXPECT_EQ(to_v1.versions[0].version_id, v1.version.id);
  EXPECT_EQ(Must(store_->ListDeployments("api", 0)).size(), 6u);
}

TEST_F(VersionStoreTest, RollbackRefusesWhereCloudflareDoes) {
  Error unknown_worker = ErrorOf(store_->Rollback("ghost", {}));
  EXPECT_EQ(unknown_worker.code(), ErrorCode::kNotFound);

  Must(store_->Upload(MakeVersion("api", "v1")));
  Error none = ErrorOf(store_->Rollback("api", {}));
  EXPECT_EQ(none.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(none.message(), "has no deployment to roll back")) << none.message();

  Published v2 = DeployBody("api", "v2");
  Error no_stable = ErrorOf(store_->Rollback("api", {}));
  EXPECT_EQ(no_stable.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(no_stable.message(), "could not find a stable version"))
      << no_stable.message();

  Error missing =
      ErrorOf(store_->Rollback("api", {.version_id = "00000000-0000-4000-8000-000000000000"}));
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
  EXPECT_TRUE(
      Contains(missing.message(),
               "version '00000000-0000-4000-8000-000000000000' not found for worker 'api'"));

  Error current = ErrorOf(store_->Rollback("api", {.version_id = v2.version.id}));
  EXPECT_EQ(current.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(current.message(), "is already the active deployment")) << current.message();
  // Nothing was recorded by the refusals.
  EXPECT_EQ(Must(store_->ListDeployments("api")).size(), 1u);
}

TEST_F(VersionStoreTest, RollbackReachesOnlyTheMostRecentVersions) {
  VersionStoreOptions o = VersionOptions();
  o.rollback_window = 2;
  VersionStore store(*db_, o);
  Published v1 = Must(store.UploadAndDeploy(MakeVersion("api", "v1"), {}));
  Must(store.UploadAndDeploy(MakeVersion("api", "v2"), {}));
  Must(store.UploadAndDeploy(MakeVersion("api", "v3"), {}));
  Error old = ErrorOf(store.Rollback("api", {.version_id = v1.version.id}));
  EXPECT_EQ(old.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(old.message(), "older than the 2 most recent versions")) << old.message();
  EXPECT_TRUE(store.Rollback("api", {}).has_value());  // v2 is within reach
}

TEST_F(VersionStoreTest, RollbackToOtherSecretValuesNeedsConsent) {
  auto secrets = Must(SecretStore::OpenWithKey(*db_, MasterKey::FromBytes(std::string(32, 'k')),
                                               {&clock_, &secure_random_}));
  std::int64_t old_value = Must(secrets->Put("api", "API_KEY", "old"));
  NewVersion v1 = MakeVersion("api", "v1");
  v1.secrets = {{"API_KEY", old_value}};
  Published p1 = Must(store_->UploadAndDeploy(v1, {}));
  std::int64_t new_value = Must(secrets->Put("api", "API_KEY", "new"));
  auto p2 = Must(store_->RedeployWithSecrets("api", {{"API_KEY", new_value}}, "tester", ""));
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->version.source, VersionSource::kSecret);
  EXPECT_EQ(p2->deployment.source, DeploymentSource::kSecret);
  EXPECT_EQ(Must(store_->GetVersion("api", p2->version.id)).modules,
            Must(store_->GetVersion("api", p1.version.id)).modules);

  Error changed = ErrorOf(store_->Rollback("api", {}));
  EXPECT_EQ(changed.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(changed.message(), "secrets have changed since version " + p1.version.id +
                                              " was deployed: API_KEY"))
      << changed.message();
  EXPECT_FALSE(Contains(changed.message(), "old"));
  Deployment d = Must(store_->Rollback("api", {.secret_changes = SecretChanges::kAllow}));
  EXPECT_EQ(d.versions[0].version_id, p1.version.id);
  // The old value is still there for the version that pinned it.
  EXPECT_EQ(
      Must(secrets->RevealRefs("api", Must(store_->GetVersionInfo("api", p1.version.id)).secrets))
          .at("API_KEY"),
      "old");
}

TEST_F(VersionStoreTest, SecretRedeployIsRefusedWhileTheLatestVersionIsNotFullyDeployed) {
  EXPECT_FALSE(Must(store_->RedeployWithSecrets("api", {}, "t", "")).has_value());  // no version
  Published v1 = DeployBody("api", "v1");
  VersionInfo v2 = Must(store_->Upload(MakeVersion("api", "v2")));
  Must(store_->Deploy("api", {{v1.version.id, 50}, {v2.id, 50}}, {}));
  Error e = ErrorOf(store_->RedeployWithSecrets("api", {}, "t", ""));
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(e.message(), "is not the one deployed to 100% of traffic")) << e.message();
  Must(store_->Deploy("api", {{v2.id, 100}}, {}));
  EXPECT_TRUE(Must(store_->RedeployWithSecrets("api", {}, "t", "")).has_value());
}

TEST_F(VersionStoreTest, ACorruptModuleIsDataLoss) {
  Published p = DeployBody("api", "v1");
  auto raw = RawDb();
  MustOk(raw->Exec("UPDATE module_blobs SET data = CAST('tampered' AS BLOB) WHERE size = 29"));
  Error e = ErrorOf(store_->GetVersion("api", p.version.id));
  EXPECT_EQ(e.code(), ErrorCode::kDataLoss);
  EXPECT_TRUE(Contains(e.message(), "module 'lib/text.js' of version " + p.version.id))
      << e.message();
}

TEST_F(VersionStoreTest, BadVersionsAreRefusedWithTheReason) {
  NewVersion no_main = MakeVersion("api");
  no_main.main_module = "main.js";
  EXPECT_TRUE(Contains(
      ErrorOf(store_->Upload(no_main)).message(),
      "the main module 'main.js' is not among the version's modules (index.js, lib/text.js)"));
  for (const char* path : {"../escape.js", "/abs.js", "a//b.js", "a/./b.js", "a\\b.js"}) {
    NewVersion v = MakeVersion("api");
    v.modules[path] = "x";
    EXPECT_EQ(ErrorOf(store_->Upload(v)).code(), ErrorCode::kInvalidArgument) << path;
  }
  NewVersion bad_name = MakeVersion("../api");
  EXPECT_EQ(ErrorOf(store_->Upload(bad_name)).code(), ErrorCode::kInvalidArgument);
  NewVersion bad_cron = MakeVersion("api");
  bad_cron.config.crons = {"61 * * * *"};
  EXPECT_TRUE(Contains(ErrorOf(store_->Upload(bad_cron)).message(), "minute 61"));

  VersionStoreOptions o = VersionOptions();
  o.max_version_bytes = 100;
  VersionStore small(*db_, o);
  Error big = ErrorOf(small.Upload(MakeVersion("api")));
  EXPECT_EQ(big.code(), ErrorCode::kResourceExhausted);
  EXPECT_TRUE(Contains(big.message(), "the limit is 100")) << big.message();
  EXPECT_TRUE(Must(store_->ListWorkers()).empty());  // nothing half-stored
}

TEST_F(VersionStoreTest, ListActiveGivesEveryWorkersActiveDeployment) {
  Published a = DeployBody("a", "v1");
  Must(store_->Upload(MakeVersion("b", "v1")));  // uploaded, never deployed
  Published c = DeployBody("c", "v1");
  auto active = Must(store_->ListActive());
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].id, a.deployment.id);
  EXPECT_EQ(active[1].id, c.deployment.id);
}

TEST_F(VersionStoreTest, ConcurrentDeploysEachGetTheirOwnNumber) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto r = store_->UploadAndDeploy(MakeVersion("api", std::to_string(t * 10 + i)), {});
        EXPECT_TRUE(r.has_value()) << r.error().ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  auto versions = Must(store_->ListVersions("api", 0));
  ASSERT_EQ(versions.size(), 20u);
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i].number, static_cast<std::int64_t>(20 - i));
  }
}

TEST(VersionStoreFaults, AFailedWriteLeavesTheOldStateAtEveryPoint) {
  // Disk full and I/O errors at growing offsets into a deploy: each attempt either succeeds or
  // fails cleanly with the previous deployment still active and readable.
  int failures = 0;
  for (auto fault : {sqlite::FaultyVfs::Fault::kDiskFull, sqlite::FaultyVfs::Fault::kIoError}) {
    for (std::uint64_t budget : {0, 1000, 4000, 9000, 20000, 60000}) {
      blaze::testing::TempDir dir;
      FakeClock clock;
      Random random(1);
      auto db = Must(ControlDb::Open(dir.path(), sqlite::FaultyVfs::Register()));
      VersionStore store(*db, {&clock, &random});
      Published v1 = Must(store.UploadAndDeploy(ControlTest::MakeVersion("api", "v1"), {}));
      sqlite::FaultyVfs::FailWritesAfter(budget, fault, "control.db");
      auto v2 = store.UploadAndDeploy(ControlTest::MakeVersion("api", "v2"), {});
      sqlite::FaultyVfs::Heal();
      auto active = Must(store.Active("api"));
      if (v2.has_value()) {
        EXPECT_EQ(active->id, v2->deployment.id);
      } else {
        ++failures;
        EXPECT_EQ(active->id, v1.deployment.id) << budget << " " << v2.error().ToString();
        EXPECT_EQ(Must(store.ListVersions("api")).size(), 1u) << budget;
      }
      EXPECT_EQ(Must(store.GetVersion("api", v1.version.id)).modules.size(), 2u);
      // And the store works again once the disk does.
      EXPECT_TRUE(store.UploadAndDeploy(ControlTest::MakeVersion("api", "v3"), {}).has_value());
    }
  }
  EXPECT_GT(failures, 4);  // the budgets do land inside the deploy
}

}  // namespace
}  // namespace blaze::control
