// Test support for the binding unit tests: call a BindingService the way the Engine does,
// outside any engine. The storage bindings answer inline, which CallInline checks.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>
#include <type_traits>
#include <variant>
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

// A reply table as JSON, the way the engine builds it in JavaScript (binding.h): an array of
// objects (or of arrays), blobs as arrays of numbers.
inline nlohmann::json RowsJson(const engine::BindingRows& table) {
  nlohmann::json out = nlohmann::json::array();
  const std::size_t columns = table.columns.size();
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    nlohmann::json row = table.objects ? nlohmann::json::object() : nlohmann::json::array();
    for (std::size_t c = 0; c < columns; ++c) {
      nlohmann::json v = std::visit(
          [](const auto& x) -> nlohmann::json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, engine::BindingRows::Null>) return nullptr;
            else return x;
          },
          table.cells[r * columns + c]);
      if (table.objects) row[table.columns[c]] = std::move(v);
      else row.push_back(std::move(v));
    }
    out.push_back(std::move(row));
  }
  return out;
}

// Replaces each {"$rows": i} in `j` with the reply's table i.
inline void SpliceRows(nlohmann::json& j, const std::vector<engine::BindingRows>& rows) {
  if (j.is_object() && j.size() == 1 && j.contains("$rows") && j["$rows"].is_number_unsigned() &&
      j["$rows"].get<std::size_t>() < rows.size()) {
    j = RowsJson(rows[j["$rows"].get<std::size_t>()]);
    return;
  }
  if (j.is_structured()) {
    for (auto& item : j) SpliceRows(item, rows);
  }
}

// The reply's JSON document, its tables spliced in; a failed reply fails the test (and gives
// null).
inline nlohmann::json ReplyJson(const Result<engine::BindingReply>& r) {
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  if (!r) return nlohmann::json();
  nlohmann::json j = nlohmann::json::parse(r->json);
  SpliceRows(j, r->rows);
  return j;
}

}  // namespace blaze::bindings::testing
