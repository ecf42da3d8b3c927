// What the `blaze kv` verbs share (kv_commands.cc: namespace and key verbs and these helpers;
// kv_bulk_commands.cc: bulk and export): the --namespace-id / --binding flags and how they
// resolve to a namespace of the data directory's KV service (CliContext::Kv), and JSON helpers.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/cli/context.h"
#include "blaze/cli/output.h"
#include "blaze/storage/kv/kv_service.h"

namespace blaze::cli::kvcli {

// --namespace-id / --binding / --preview / --local / --remote, shared by the key and bulk verbs.
struct Where {
  std::string namespace_id;
  std::string binding;
  bool preview = false;
  bool remote = false;
};
void AddWhereFlags(CLI::App& cmd, Where& w);

// The namespace the flags name.
struct Target {
  kv::KvService* kv = nullptr;
  std::string id;
  std::string described;  // `namespace id: "ID"` or `namespace binding: "KV" (id: "ID")`
  bool exists = false;    // false: no namespace of that id yet (reads find nothing)
};

// The namespace the flags name; with CreateMissing::kYes a missing one is made (writes).
Result<Target> Resolve(CliContext& ctx, const Where& w, CreateMissing create);

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsUtf8(std::string_view s);
Json MetadataJson(const std::optional<std::string>& text);
std::string JsonText(const Json& j, int indent = -1);
Result<Json> ReadJsonFile(CliContext& ctx, const std::string& path);

// `kv bulk put|get|delete` and `kv export` (kv_bulk_commands.cc).
void AddKvBulkCommands(CLI::App& kv, CliContext& ctx);

}  // namespace blaze::cli::kvcli
