// How `blaze tail` shows one tail event (docs/admin-api.md, "Tail") and which events it keeps.
// Pure functions over the event's JSON, so the format and the filters are tested without a
// server (tail_format_test.cc).
//
// Pretty, as wrangler's: `GET http://w.localhost/path - Ok @ 2026-11-28T21:00:00Z` then one
// `  (level) message` line per console call and `  ✘ exception` per exception.
// JSON: the event as received, one object per line (so `| jq` and `| grep` work, as the
// runbook does with `wrangler tail --format json | grep duration`).
// Errors: none; a line that is not a JSON object is skipped by the caller.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace blaze::cli {

struct TailFilter {
  std::optional<std::string> status;  // "ok" (2xx-3xx and outcome ok) or "error" (the rest)
  std::vector<std::string> methods;   // any of them; empty: all
  std::optional<std::string> search;  // substring of a log message or the URL
};

bool TailMatches(const nlohmann::json& event, const TailFilter& filter);

enum class TailFormat { kPretty, kJson };

std::string FormatTailEvent(const nlohmann::json& event, TailFormat format);

}  // namespace blaze::cli
