// What the `blaze kv` verbs share (kv_commands.cc: namespace and key verbs and these helpers;
// kv_bulk_commands.cc: bulk and export): the lazily opened KvService, the --namespace-id /
// --binding flags and how they resolve to a namespace, and JSON helpers.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/cli/context.h"
#include "blaze/cli/output.h"
#include "blaze/storage/kv/kv_service.h"

namespace blaze::cli::kvcli {

// The KV service of the data directory, opened on first use.
class KvCli {
 public:
  explicit KvCli(CliContext& ctx) : ctx_(ctx) {}

  Result<kv::KvService*> Service() {
    if (!kv_) {
      kv::KvOptions opts;
      opts.data_dir = ctx_.options().data_dir;
      opts.env = &ctx_.env();
      opts.clock = &ctx_.clock();
      opts.random = &random_;
      BLAZE_TRY(kv_, kv::KvService::Open(opts));
    }
    return kv_.get();
  }

  CliContext& ctx() { return ctx_; }

 private:
  CliContext& ctx_;
  Random random_;
  std::unique_ptr<kv::KvService> kv_;
};

// --namespace-id / --binding / --preview / --local / --remote, shared by the key and bulk verbs.
struct Where {
  std::string namespace_id;
  std::string binding;
  bool preview = false;
  bool remote = false;
};
void AddWhereFlags(CLI::App& cmd, Where& w);

struct Target {
  std::string id;
  std::string described;  // `namespace id: "ID"` or `namespace binding: "KV" (id: "ID")`
};

enum class Create : bool { kNo, kYes };

// The namespace the flags name. With Create::kYes a missing one is made (writes); otherwise
// nullopt means "no such namespace yet" (reads find nothing).
Result<std::optional<Target>> Resolve(KvCli& cli, const Where& w, Create create);

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsUtf8(std::string_view s);
Json MetadataJson(const std::optional<std::string>& text);
std::string JsonText(const Json& j, int indent = -1);
Result<Json> ReadJsonFile(CliContext& ctx, const std::string& path);

// `kv bulk put|get|delete` and `kv export` (kv_bulk_commands.cc).
void AddKvBulkCommands(CLI::App& kv, std::shared_ptr<KvCli> cli);

}  // namespace blaze::cli::kvcli
