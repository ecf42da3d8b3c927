// Shared setup for the control/ tests: a fresh data directory per test, a FakeClock, a
// fixed-seed Random and FakeSecureRandom, and helpers to build versions. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/control/control_db.h"
#include "blaze/control/crypto.h"
#include "blaze/control/version_store.h"
#include "tests/testing/must.h"
#include "tests/testing/temp_dir.h"

namespace blaze::control {

using testing::ErrorOf;
using testing::Must;
using testing::MustOk;

inline bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

class ControlTest : public ::testing::Test {
 public:
  // A two-module version of `worker` whose code says `body`.
  static NewVersion MakeVersion(const std::string& worker, const std::string& body = "v1") {
    NewVersion v;
    v.worker = worker;
    v.main_module = "index.js";
    v.modules["index.js"] =
        "import { text } from './lib/text.js';\n"
        "export default { fetch() { return new Response(text + ' " +
        body + "'); } };\n";
    v.modules["lib/text.js"] = "export const text = 'hello';\n";
    v.config.compatibility_date = "2025-01-01";
    v.config.vars.push_back({"MODE", config::Var::Kind::kText, "production"});
    v.config.crons = {"*/5 * * * *"};
    v.config.cpu_ms = 50;
    v.author = "tester";
    return v;
  }

 protected:
  void SetUp() override { db_ = Must(ControlDb::Open(dir_.path())); }

  VersionStoreOptions VersionOptions() {
    VersionStoreOptions o;
    o.clock = &clock_;
    o.random = &random_;
    return o;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  Random random_{42};
  FakeSecureRandom secure_random_{7};
  std::unique_ptr<ControlDb> db_;
};

}  // namespace blaze::control
