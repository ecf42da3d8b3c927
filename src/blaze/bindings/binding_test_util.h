// Test support for the binding unit tests: call a BindingService the way the Engine does,
// outside any engine. The storage bindings answer inline, which CallInline checks.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>
#include <vector>

#include "blaze/runtime/engine/binding.h"

namespace blaze::bindings::testing {

inline Result<engine::BindingReply> CallInline(engine::BindingService& binding,
                                               const std::string& op, const nlohmann::json& args,
                                               std::vector<std::string> buffers = {}) {
  std::optional<Result<engine::BindingReply>> out;
  boost::asio::io_context io;
  binding.Call({op, args.dump(), std::move(buffers)}, {io, nullptr, "trace"},
               [&](Result<engine::BindingReply> r) { out = std::move(r); });
  EXPECT_TRUE(out.has_value()) << "the binding answers " << op << " inline";
  if (!out) return Fail(Internal("no answer"));
  return std::move(*out);
}

// The reply's JSON document; a failed reply fails the test (and gives null).
inline nlohmann::json ReplyJson(const Result<engine::BindingReply>& r) {
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r ? nlohmann::json::parse(r->json) : nlohmann::json();
}

}  // namespace blaze::bindings::testing
