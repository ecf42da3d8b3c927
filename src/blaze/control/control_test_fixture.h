// Shared setup for the control/ tests: a fresh data directory per test, a FakeClock, a
// fixed-seed Random and FakeSecureRandom, and helpers to build versions. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <source_location>
#include <string>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/control/control_db.h"
#include "blaze/control/crypto.h"
#include "blaze/control/version_store.h"
#include "tests/testing/temp_dir.h"

namespace blaze::control {

// The value of a Result the test needs; a failure is reported at the caller's line, then the
// test stops (value() throws and GoogleTest reports the exception).
template <typename T>
T Must(Result<T> r, std::source_location loc = std::source_location::current()) {
  if (!r.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << r.error().ToString();
  return std::move(r).value();
}

inline void MustOk(Status s, std::source_location loc = std::source_location::current()) {
  if (!s.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << s.error().ToString();
}

// The error of a Result expected to fail (a success is reported at the caller's line).
template <typename T>
Error ErrorOf(const Result<T>& r, std::source_location loc = std::source_location::current()) {
  if (r.has_value()) {
    ADD_FAILURE_AT(loc.file_name(), loc.line()) << "expected an error, got a value";
    return Internal("no error");
  }
  return r.error();
}

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
