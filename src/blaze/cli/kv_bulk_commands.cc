// `blaze kv bulk put|get|delete FILE` and `blaze kv export`: wrangler's bulk file formats
// (messages pinned against wrangler 4.86), and an export that `kv bulk put` imports back.
#include <iostream>

#include "blaze/base/base64.h"
#include "blaze/cli/kv_cli.h"
#include "blaze/storage/fs/env.h"

namespace blaze::cli::kvcli {
namespace {

// JavaScript's typeof for a JSON value, as wrangler's messages name types.
std::string TypeOf(const Json& j) {
  if (j.is_null() || j.is_array() || j.is_object()) return "object";
  if (j.is_number()) return "number";
  return j.is_boolean() ? "boolean" : "string";
}

// wrangler's bulk file: [{key, value, expiration?, expiration_ttl?, metadata?, base64?}].
Result<std::vector<kv::KvWrite>> ParseBulkPut(const Json& content, const std::string& path) {
  const std::string head = "Unexpected JSON input from \"" + path + "\".\n";
  if (!content.is_array()) {
    return Fail(InvalidArgument(head + "Expected an array of key-value objects but got type \"" +
                                TypeOf(content) + "\"."));
  }
  std::vector<kv::KvWrite> writes;
  std::string errors;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const Json& item = content[i];
    auto is = [&](const char* field, bool (Json::*check)() const) {
      return !item.contains(field) || (item[field].*check)();
    };
    if (!item.is_object() || !item.contains("key") || !item["key"].is_string() ||
        !item.contains("value") || !item["value"].is_string() ||
        !is("expiration", &Json::is_number) || !is("expiration_ttl", &Json::is_number) ||
        !is("base64", &Json::is_boolean)) {
      errors += "\nThe item at index " + std::to_string(i) + " is " + JsonText(item);
      continue;
    }
    kv::KvWrite w;
    w.key = item["key"].get<std::string>();
    w.value = item["value"].get<std::string>();
    if (item.value("base64", false)) w.value = Base64DecodeLenient(w.value);
    if (item.contains("expiration")) w.options.expiration = item["expiration"].get<std::int64_t>();
    if (item.contains("expiration_ttl")) {
      w.options.expiration_ttl = item["expiration_ttl"].get<std::int64_t>();
    }
    if (item.contains("metadata") && !item["metadata"].is_null()) {
      w.options.metadata = JsonText(item["metadata"]);
    }
    writes.push_back(std::move(w));
  }
  if (!errors.empty()) {
    return Fail(InvalidArgument(
        head +
        "Each item in the array should be an object that matches:\n\ninterface KeyValue {\n"
        "  key: string;\n  value: string;\n  expiration?: number;\n  expiration_ttl?: "
        "number;\n  metadata?: object;\n  base64?: boolean;\n}\n" +
        errors));
  }
  return writes;
}

// A file of keys: strings, or objects with a "name" (what `kv key list` prints).
Result<std::vector<std::string>> ParseKeys(const Json& content, const std::string& path) {
  const std::string head = "Unexpected JSON input from \"" + path + "\".\n";
  if (!content.is_array()) {
    return Fail(
        InvalidArgument(head + "Expected an array of strings but got:\n" + JsonText(content)));
  }
  std::vector<std::string> keys;
  std::string errors;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const Json& item = content[i];
    if (item.is_string()) {
      keys.push_back(item.get<std::string>());
    } else if (item.is_object() && item.contains("name") && item["name"].is_string()) {
      keys.push_back(item["name"].get<std::string>());
    } else {
      errors += "\nThe item at index " + std::to_string(i) + " is type: \"" + TypeOf(item) +
                "\" - " + JsonText(item);
    }
  }
  if (!errors.empty()) {
    return Fail(InvalidArgument(
        head + "Expected an array of strings or objects with a \"name\" key." + errors));
  }
  return keys;
}

void AddBulkPut(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string file;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd =
      parent.add_subcommand("put", "Write many key/value pairs from a JSON file, all or none");
  cmd->add_option("filename", o->file,
                  "[{key, value, expiration?, expiration_ttl?, metadata?, base64?}]")
      ->required();
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Json content, ReadJsonFile(ctx, o->file));
      BLAZE_TRY(auto writes, ParseBulkPut(content, o->file));
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kYes));
      BLAZE_TRY_VOID(target.kv->PutMany(target.id, writes));
      std::cout << "Success!\n";
      return Ok();
    });
  });
}

void AddBulkDelete(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string file;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("delete", "Delete the keys listed in a JSON file");
  cmd->add_option("filename", o->file, "[\"key\", ...] or [{\"name\": \"key\"}, ...]")->required();
  cmd->add_flag("-f,--force,-y,--yes", o->force, "Do not ask for confirmation");
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Json content, ReadJsonFile(ctx, o->file));
      BLAZE_TRY(auto keys, ParseKeys(content, o->file));
      for (const auto& key : keys) BLAZE_TRY_VOID(kv::ValidateKey(kv::Op::kDelete, key));
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      if (!Confirm("Are you sure you want to delete all the keys read from \"" + o->file +
                       "\" from kv-" + target.described + "?",
                   o->force ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not deleting keys read from \"" << o->file << "\".\n";
        return Ok();
      }
      if (target.exists) BLAZE_TRY_VOID(target.kv->DeleteMany(target.id, keys));
      std::cout << "Success!\n";
      return Ok();
    });
  });
}

void AddBulkGet(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string file;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("get", "Read the keys listed in a JSON file");
  cmd->add_option("filename", o->file, "[\"key\", ...] or [{\"name\": \"key\"}, ...]")->required();
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Json content, ReadJsonFile(ctx, o->file));
      BLAZE_TRY(auto keys, ParseKeys(content, o->file));
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      Json out = Json::object();
      for (const auto& key : keys) {
        std::optional<kv::KvEntry> entry;
        if (target.exists) {
          BLAZE_TRY(entry, target.kv->Get(target.id, key));
        }
        out[key] = {{"value", entry ? Json(entry->value) : Json()}};
      }
      PrintJson(std::cout, out);
      std::cout << "\nSuccess!\n";
      return Ok();
    });
  });
}

// `kv export`: every live key as a `kv bulk put` file; values that are not UTF-8 are base64.
void AddExport(CLI::App& kv_cmd, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string output;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd =
      kv_cmd.add_subcommand("export", "Write every key of a namespace as a `kv bulk put` file");
  cmd->add_option("--output", o->output, "The JSON file to write (default: stdout)");
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      Json out = Json::array();
      if (target.exists) {
        BLAZE_TRY_VOID(target.kv->Scan(target.id, [&](std::string_view key, const kv::KvEntry& e) {
          Json item = {{"key", key}};
          if (IsUtf8(e.value)) {
            item["value"] = e.value;
          } else {
            item["value"] = Base64Encode(e.value);
            item["base64"] = true;
          }
          if (e.expiration) item["expiration"] = *e.expiration;
          if (e.metadata) item["metadata"] = MetadataJson(e.metadata);
          out.push_back(std::move(item));
          return Ok();
        }));
      }
      std::string text = JsonText(out, 2) + "\n";
      if (o->output.empty()) {
        std::cout << text;
        return Ok();
      }
      BLAZE_TRY_VOID(fs::WriteFileAtomically(ctx.env(), o->output, text));
      std::cout << "Exported " << out.size() << (out.size() == 1 ? " key" : " keys") << " to "
                << o->output << ".\n";
      return Ok();
    });
  });
}

}  // namespace

void AddKvBulkCommands(CLI::App& kv, CliContext& ctx) {
  auto* bulk = kv.add_subcommand("bulk", "Put, get and delete many keys from JSON files");
  bulk->require_subcommand(1);
  AddBulkPut(*bulk, ctx);
  AddBulkGet(*bulk, ctx);
  AddBulkDelete(*bulk, ctx);
  AddExport(kv, ctx);
}

}  // namespace blaze::cli::kvcli
