// `blaze kv ...`: Workers KV on the data directory, with wrangler's verbs, flags and output
// (wrangler 4.86 `kv namespace|key|bulk`, run with --local). A namespace is named by
// --namespace-id ID or by --binding NAME through wrangler.toml's [[kv_namespaces]]; as with
// `wrangler ... --local`, writing to an id that has no namespace yet creates it, so
// `blaze kv key put K V --namespace-id ID` seeds what `blaze dev` serves for that id. Reads of
// an unknown id find nothing and create nothing.
#include <iostream>

#include "blaze/cli/commands.h"
#include "blaze/cli/kv_cli.h"

namespace blaze::cli::kvcli {

void AddWhereFlags(CLI::App& cmd, Where& w) {
  cmd.add_option("--namespace-id", w.namespace_id, "The id of the namespace");
  cmd.add_option("--binding", w.binding, "The wrangler.toml binding name of the namespace");
  cmd.add_flag("--preview", w.preview, "Use the binding's preview_id");
  AddLocationFlags(cmd, &w.remote);
}

namespace {

// The [[kv_namespaces]] entry of wrangler.toml whose binding is `binding`.
Result<config::KvBinding> FindBinding(CliContext& ctx, const std::string& binding) {
  BLAZE_TRY(auto project, ctx.Project());
  if (project) {
    for (const auto& b : project->kv_namespaces) {
      if (b.binding == binding) return b;
    }
  }
  return Fail(NotFound("A namespace with binding name \"" + binding +
                       "\" was not found in the configured \"kv_namespaces\"."));
}

}  // namespace

Result<Target> Resolve(CliContext& ctx, const Where& w, CreateMissing create) {
  BLAZE_TRY_VOID(RefuseRemote(w.remote));
  if (w.namespace_id.empty() == w.binding.empty()) {
    return Fail(
        InvalidArgument("Exactly one of the arguments binding and namespace-id is required"));
  }
  Target target{nullptr, w.namespace_id, "namespace id: \"" + w.namespace_id + "\"", false};
  if (!w.binding.empty()) {
    BLAZE_TRY(config::KvBinding found, FindBinding(ctx, w.binding));
    if (w.preview && found.preview_id.empty()) {
      return Fail(InvalidArgument("the binding " + w.binding + " has no preview_id"));
    }
    target.id = w.preview ? found.preview_id : found.id;
    target.described = "namespace binding: \"" + w.binding + "\" (id: \"" + target.id + "\")";
  }
  BLAZE_TRY(target.kv, ctx.Kv());
  if (create == CreateMissing::kYes) {
    BLAZE_TRY_VOID(target.kv->EnsureNamespace(target.id));
    target.exists = true;
    return target;
  }
  BLAZE_TRY(auto found, target.kv->LookupNamespace(target.id));
  target.exists = found.has_value();
  return target;
}

bool IsUtf8(std::string_view s) {
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char lead = static_cast<unsigned char>(s[i]);
    std::size_t extra;
    std::uint32_t cp;
    if (lead < 0x80) {
      extra = 0;
      cp = lead;
    } else if ((lead >> 5) == 0x6) {
      extra = 1;
      cp = lead & 0x1F;
    } else if ((lead >> 4) == 0xE) {
      extra = 2;
      cp = lead & 0x0F;
    } else if ((lead >> 3) == 0x1E) {
      extra = 3;
      cp = lead & 0x07;
    } else
      return false;
    if (s.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      unsigned char c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

Json MetadataJson(const std::optional<std::string>& text) {
  return text ? Json::parse(*text, nullptr, false) : Json();
}

std::string JsonText(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Result<Json> ReadJsonFile(CliContext& ctx, const std::string& path) {
  BLAZE_TRY(std::string text, fs::ReadFile(ctx.env(), path));
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return Fail(InvalidArgument("\"" + path + "\" is not valid JSON"));
  return j;
}

namespace {

// Every live key, following cursors (what `wrangler kv key list` prints).
Result<Json> ListAll(kv::KvService& kv, const std::string& ns, const std::string& prefix) {
  Json out = Json::array();
  kv::ListOptions options{prefix, 0, ""};
  while (true) {
    BLAZE_TRY(kv::ListPage page, kv.List(ns, options));
    for (const auto& k : page.keys) {
      Json item = {{"name", k.name}};
      if (k.expiration) item["expiration"] = *k.expiration;
      if (k.metadata) item["metadata"] = MetadataJson(k.metadata);
      out.push_back(std::move(item));
    }
    if (page.list_complete) return out;
    options.cursor = page.cursor;
  }
}

// ---- namespace ---------------------------------------------------------------------------

void AddNamespaceCreate(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    std::string title;
    bool json = false, remote = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("create", "Create a new KV namespace");
  cmd->add_option("namespace", o->title, "The title of the new namespace")->required();
  cmd->add_flag("--json", o->json, "Print the new namespace as JSON");
  AddLocationFlags(*cmd, &o->remote);
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY_VOID(RefuseRemote(o->remote));
          BLAZE_TRY(kv::KvService * kv, ctx.Kv());
          BLAZE_TRY(auto info, kv->CreateNamespace(o->title));
          if (o->json) {
            PrintJson(std::cout, {{"id", info.id}, {"title", info.title}});
            return Ok();
          }
          std::string binding = info.title;
          for (char& c : binding) {
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
          }
          std::cout << "🌀 Creating namespace with title \"" << info.title << "\"\n"
                    << "✨ Success!\n"
                    << "To access your new KV Namespace in your Worker, add the following "
                       "snippet to your configuration file:\n"
                    << "[[kv_namespaces]]\nbinding = \"" << binding << "\"\nid = \"" << info.id
                    << "\"\n";
          return Ok();
        },
        o->json);
  });
}

void AddNamespaceList(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    bool json = false, remote = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("list", "List KV namespaces (as JSON, like wrangler)");
  cmd->add_flag("--json", o->json, "Print as JSON (always; accepted for symmetry with d1 list)");
  AddLocationFlags(*cmd, &o->remote);
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY_VOID(RefuseRemote(o->remote));
          BLAZE_TRY(kv::KvService * kv, ctx.Kv());
          BLAZE_TRY(auto list, kv->ListNamespaces());
          Json out = Json::array();
          for (const auto& ns : list) {
            out.push_back({{"id", ns.id}, {"title", ns.title}, {"supports_url_encoding", true}});
          }
          PrintJson(std::cout, out);
          return Ok();
        },
        o->json);
  });
}

void AddNamespaceDelete(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    bool yes = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("delete", "Delete a KV namespace and every key in it");
  AddWhereFlags(*cmd, o->where);
  cmd->add_flag("-y,--yes,--skip-confirmation", o->yes, "Do not ask for confirmation");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      BLAZE_TRY(auto info, target.kv->FindNamespace(target.id));
      if (!Confirm("Are you sure you want to delete the KV namespace \"" + info.title + "\" (" +
                       info.id + ")?",
                   o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
        std::cout << "Not deleting.\n";
        return Ok();
      }
      std::cout << "Deleting KV namespace " << info.id << ".\n";
      BLAZE_TRY_VOID(target.kv->DeleteNamespace(info.id));
      std::cout << "Deleted KV namespace " << info.id << ".\n";
      return Ok();
    });
  });
}

// ---- key ---------------------------------------------------------------------------------

void AddKeyPut(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string key, value, path, metadata;
    std::int64_t ttl = 0, expiration = 0;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("put", "Write a single key/value pair to a namespace");
  cmd->add_option("key", o->key, "The key to write to")->required();
  auto* value = cmd->add_option("value", o->value, "The value to write");
  auto* path = cmd->add_option("--path", o->path, "Read the value from this file");
  auto* ttl = cmd->add_option("--ttl", o->ttl, "Seconds the entry stays visible (at least 60)");
  auto* expiration =
      cmd->add_option("--expiration", o->expiration, "Seconds since the epoch when it expires");
  auto* metadata = cmd->add_option("--metadata", o->metadata, "JSON stored with the key");
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o, value, path, ttl, expiration, metadata] {
    ctx.Run([&]() -> Status {
      if ((value->count() == 0) == (path->count() == 0)) {
        return Fail(InvalidArgument("Exactly one of the arguments value and path is required"));
      }
      kv::PutOptions options;
      if (ttl->count()) options.expiration_ttl = o->ttl;
      if (expiration->count()) options.expiration = o->expiration;
      if (metadata->count()) options.metadata = o->metadata;
      std::string bytes = o->value;
      if (path->count()) {
        BLAZE_TRY(bytes, fs::ReadFile(ctx.env(), o->path));
      }
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kYes));
      std::cout << (path->count() ? "Writing the contents of " + o->path + " to the key \""
                                  : "Writing the value \"" + o->value + "\" to key \"")
                << o->key << "\" on " << target.described
                << (metadata->count() ? " with metadata \"" + o->metadata + "\"" : "") << ".\n";
      return target.kv->Put(target.id, o->key, bytes, options);
    });
  });
}

void AddKeyGet(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string key;
    bool text = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("get", "Read a single value by key (raw, to stdout)");
  cmd->add_option("key", o->key, "The key to read")->required();
  cmd->add_flag("--text", o->text, "Decode the value as UTF-8 (values are printed as stored)");
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      std::optional<kv::KvEntry> entry;
      if (target.exists) {
        BLAZE_TRY(entry, target.kv->Get(target.id, o->key));
      }
      if (!entry) {
        std::cout << "Value not found\n";  // and exit 0, as wrangler does
        return Ok();
      }
      std::cout.write(entry->value.data(), static_cast<std::streamsize>(entry->value.size()));
      std::cout.flush();
      return Ok();
    });
  });
}

void AddKeyList(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string prefix;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("list", "List a namespace's keys as JSON");
  cmd->add_option("--prefix", o->prefix, "Only keys starting with this");
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      Json out = Json::array();
      if (target.exists) {
        BLAZE_TRY(out, ListAll(*target.kv, target.id, o->prefix));
      }
      PrintJson(std::cout, out);
      return Ok();
    });
  });
}

void AddKeyDelete(CLI::App& parent, CliContext& ctx) {
  struct Opts {
    Where where;
    std::string key;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand("delete", "Remove a single key from a namespace");
  cmd->add_option("key", o->key, "The key to remove")->required();
  AddWhereFlags(*cmd, o->where);
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(Target target, Resolve(ctx, o->where, CreateMissing::kNo));
      std::cout << "Deleting the key \"" << o->key << "\" on " << target.described << ".\n";
      if (!target.exists) return kv::ValidateKey(kv::Op::kDelete, o->key);
      return target.kv->Delete(target.id, o->key);
    });
  });
}

}  // namespace
}  // namespace blaze::cli::kvcli

namespace blaze::cli {

void AddKvCommands(CLI::App& app, CliContext& ctx) {
  auto* kv =
      app.add_subcommand("kv", "Manage Workers KV namespaces (SQLite in the data directory)");
  kv->require_subcommand(1);
  auto* ns = kv->add_subcommand("namespace", "Create, list and delete KV namespaces");
  ns->require_subcommand(1);
  kvcli::AddNamespaceCreate(*ns, ctx);
  kvcli::AddNamespaceList(*ns, ctx);
  kvcli::AddNamespaceDelete(*ns, ctx);
  auto* key = kv->add_subcommand("key", "Put, get, list and delete single keys");
  key->require_subcommand(1);
  kvcli::AddKeyPut(*key, ctx);
  kvcli::AddKeyGet(*key, ctx);
  kvcli::AddKeyList(*key, ctx);
  kvcli::AddKeyDelete(*key, ctx);
  kvcli::AddKvBulkCommands(*kv, ctx);
}

}  // namespace blaze::cli
