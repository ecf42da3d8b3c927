// `blaze r2 bucket create|list|delete` and `blaze r2 object put|get|delete|list|versions|
// restore|purge`: wrangler's R2 verbs (objects named `bucket/key`) on the data directory's
// buckets, plus the version history Blaze keeps for every key.
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>

#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"
#include "blaze/storage/r2/r2_service.h"

namespace blaze::cli {
namespace {

// A bucket named on the command line: a catalog name, or a wrangler.toml [[r2_buckets]]
// binding or bucket_name (created on first use, as `wrangler r2 ... --local` does); with
// CreateMissing::kYes, any valid name is created on first use (wrangler's local put does that).
Result<std::shared_ptr<r2::Bucket>> ResolveBucket(CliContext& ctx, const std::string& name,
                                                  CreateMissing create) {
  BLAZE_TRY(r2::R2Service * r2, ctx.R2());
  BLAZE_TRY(auto found, r2->LookupBucket(name));
  if (found) return r2->OpenBucket(found->name);
  BLAZE_TRY(auto project, ctx.Project());
  if (project) {
    for (const config::R2Binding& b : project->r2_buckets) {
      if (b.binding == name || b.bucket_name == name) return r2->OpenOrCreateBucket(b.bucket_name);
    }
  }
  if (create == CreateMissing::kYes) return r2->OpenOrCreateBucket(name);
  return r2->OpenBucket(name);  // NoSuchBucket, with its hint
}

// Every r2 verb: adds --local/--remote to `cmd` and, when it is chosen, runs `body` through
// ctx.Run once --remote is refused; errors print as JSON when `*json` (the verb's --json) is set.
void OnLocalRun(CLI::App& cmd, CliContext& ctx, const bool* json, std::function<Status()> body) {
  auto remote = std::make_shared<bool>(false);
  AddLocationFlags(cmd, remote.get());
  cmd.callback([&ctx, remote, json, body = std::move(body)] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY_VOID(RefuseRemote(*remote));
          return body();
        },
        json != nullptr && *json);
  });
}

struct ObjectPath {
  std::string bucket;
  std::string key;
};

// wrangler's `{bucket}/{key}`: the bucket is everything before the first '/'.
Result<ObjectPath> ParseObjectPath(const std::string& path) {
  auto slash = path.find('/');
  if (slash == std::string::npos || slash == 0) {
    std::string what = "The object path must be in the form of {bucket}/{key} you provided ";
    return Fail(InvalidArgument(what + path));
  }
  return ObjectPath{path.substr(0, slash), path.substr(slash + 1)};
}

std::string Iso(std::int64_t ms) {
  return FormatIso8601(Clock::WallTime(std::chrono::milliseconds(ms)));
}

Json ObjectRowJson(const r2::ObjectInfo& o) {
  return {{"key", o.key},         {"size", o.size},
          {"etag", o.etag},       {"uploaded", Iso(o.uploaded_ms)},
          {"version", o.version}, {"storage_class", o.storage_class}};
}

Json VersionJson(const r2::VersionEntry& v) {
  return {{"version", v.info.version},           {"size", v.info.size},  {"etag", v.info.etag},
          {"uploaded", Iso(v.info.uploaded_ms)}, {"deleted", v.deleted}, {"current", v.current}};
}

void AddBucketCreate(CLI::App& bucket, CliContext& ctx) {
  struct Opts {
    std::string name;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = bucket.add_subcommand("create", "Create a new R2 bucket");
  cmd->add_option("name", o->name, "The name of the new bucket")->required();
  cmd->add_flag("--json", o->json, "Print the new bucket as JSON");
  OnLocalRun(*cmd, ctx, &o->json, [&ctx, o]() -> Status {
    BLAZE_TRY(r2::R2Service * service, ctx.R2());
    if (!o->json) std::cout << "Creating bucket '" << o->name << "'...\n";
    BLAZE_TRY(auto info, service->CreateBucket(o->name));
    if (o->json) {
      PrintJson(std::cout, {{"name", info.name}, {"creation_date", info.created_at}});
      return Ok();
    }
    std::cout << "✅ Created bucket '" << info.name << "' with default storage class of "
              << "Standard.\n\nAdd it to your wrangler.toml to use it from a worker:\n\n"
              << "[[r2_buckets]]\nbinding = \"BUCKET\"\nbucket_name = \"" << info.name << "\"\n";
    return Ok();
  });
}

void AddBucketList(CLI::App& bucket, CliContext& ctx) {
  struct Opts {
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = bucket.add_subcommand("list", "List R2 buckets");
  cmd->add_flag("--json", o->json, "Print the buckets as JSON");
  OnLocalRun(*cmd, ctx, &o->json, [&ctx, o]() -> Status {
    BLAZE_TRY(r2::R2Service * service, ctx.R2());
    BLAZE_TRY(auto buckets, service->ListBuckets());
    if (o->json) {
      Json out = Json::array();
      for (const auto& b : buckets) {
        out.push_back({{"name", b.name}, {"creation_date", b.created_at}});
      }
      PrintJson(std::cout, out);
      return Ok();
    }
    std::cout << "Listing buckets...\n";
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      std::cout << (i ? "\n" : "") << "name:           " << buckets[i].name
                << "\ncreation_date:  " << buckets[i].created_at << "\n";
    }
    return Ok();
  });
}

void AddBucketDelete(CLI::App& bucket, CliContext& ctx) {
  struct Opts {
    std::string name;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = bucket.add_subcommand(
      "delete", "Delete an empty R2 bucket (with the history of its deleted objects)");
  cmd->add_option("name", o->name, "The bucket to delete")->required();
  OnLocalRun(*cmd, ctx, nullptr, [&ctx, o]() -> Status {
    BLAZE_TRY(r2::R2Service * service, ctx.R2());
    std::cout << "Deleting bucket " << o->name << ".\n";
    BLAZE_TRY_VOID(service->DeleteBucket(o->name));
    std::cout << "Deleted bucket " << o->name << ".\n";
    return Ok();
  });
}

void AddObjectPut(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string path, file, content_type, content_disposition, content_encoding, content_language,
        cache_control, storage_class = "Standard";
    std::optional<std::int64_t> expires;
    bool pipe = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = object.add_subcommand("put", "Create an object (a new version of its key)");
  cmd->add_option("path", o->path, "The destination, as {bucket}/{key}")->required();
  auto* file = cmd->add_option("-f,--file", o->file, "The file to upload");
  auto* pipe = cmd->add_flag("-p,--pipe", o->pipe, "Read the object from standard input");
  file->excludes(pipe);
  cmd->add_option("--ct,--content-type", o->content_type, "A MIME type for the object");
  cmd->add_option("--cd,--content-disposition", o->content_disposition, "Content-Disposition");
  cmd->add_option("--ce,--content-encoding", o->content_encoding, "Content-Encoding");
  cmd->add_option("--cl,--content-language", o->content_language, "Content-Language");
  cmd->add_option("--cc,--cache-control", o->cache_control, "Cache-Control");
  cmd->add_option("-e,--expires", o->expires, "Cache expiry, in milliseconds since the epoch");
  cmd->add_option("-s,--storage-class", o->storage_class, "Standard or InfrequentAccess");
  OnLocalRun(*cmd, ctx, nullptr, [&ctx, o, file, pipe]() -> Status {
    if (file->count() == 0 && pipe->count() == 0) {
      return Fail(InvalidArgument("give the object's bytes with --file FILE or --pipe"));
    }
    BLAZE_TRY(ObjectPath path, ParseObjectPath(o->path));
    std::string data;
    if (file->count()) {
      BLAZE_TRY(data, fs::ReadFile(ctx.env(), o->file));
    } else {
      data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    }
    r2::PutOptions put;
    auto set = [](std::optional<std::string>& field, const std::string& v) {
      if (!v.empty()) field = v;
    };
    set(put.http.content_type, o->content_type);
    set(put.http.content_disposition, o->content_disposition);
    set(put.http.content_encoding, o->content_encoding);
    set(put.http.content_language, o->content_language);
    set(put.http.cache_control, o->cache_control);
    put.http.cache_expiry_ms = o->expires;
    put.storage_class = o->storage_class;
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, path.bucket, CreateMissing::kYes));
    std::cout << "Creating object \"" << path.key << "\" in bucket \"" << bucket->name() << "\".\n";
    BLAZE_TRY(auto stored, bucket->Put(path.key, data, put));
    if (!stored) return Fail(Internal("the put was refused without a condition"));
    std::cout << "Upload complete (version " << stored->version << ", " << HumanBytes(stored->size)
              << ").\n";
    return Ok();
  });
}

void AddObjectGet(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string path, file;
    bool pipe = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = object.add_subcommand("get", "Fetch an object (to standard output without --file)");
  cmd->add_option("path", o->path, "The source, as {bucket}/{key}")->required();
  cmd->add_option("-f,--file", o->file, "Write the object to this file");
  cmd->add_flag("-p,--pipe", o->pipe, "Write the object to standard output (the default)");
  OnLocalRun(*cmd, ctx, nullptr, [&ctx, o]() -> Status {
    BLAZE_TRY(ObjectPath path, ParseObjectPath(o->path));
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, path.bucket, CreateMissing::kNo));
    bool to_file = !o->file.empty();
    if (to_file) {
      std::cout << "Downloading \"" << path.key << "\" from \"" << bucket->name() << "\".\n";
    }
    BLAZE_TRY(auto got, bucket->Get(path.key, {}));
    if (!got) return Fail(NotFound("The specified key does not exist."));
    if (!to_file) {
      std::cout.write(got->body.data(), static_cast<std::streamsize>(got->body.size()));
      std::cout.flush();
      return Ok();
    }
    BLAZE_TRY_VOID(fs::WriteFileAtomically(ctx.env(), o->file, got->body));
    std::cout << "Download complete.\n";
    return Ok();
  });
}

void AddObjectDelete(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string path;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = object.add_subcommand(
      "delete", "Delete an object (its versions stay: `versions` and `restore` bring it back)");
  cmd->add_option("path", o->path, "The object, as {bucket}/{key}")->required();
  OnLocalRun(*cmd, ctx, nullptr, [&ctx, o]() -> Status {
    BLAZE_TRY(ObjectPath path, ParseObjectPath(o->path));
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, path.bucket, CreateMissing::kNo));
    std::cout << "Deleting object \"" << path.key << "\" from bucket \"" << bucket->name()
              << "\".\n";
    BLAZE_TRY_VOID(bucket->Delete({path.key}));
    std::cout << "Delete complete.\n";
    return Ok();
  });
}

void AddObjectList(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string bucket, prefix;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = object.add_subcommand("list", "List a bucket's objects: key, size, etag, uploaded");
  cmd->add_option("bucket", o->bucket, "The bucket")->required();
  cmd->add_option("--prefix", o->prefix, "Only keys starting with this");
  cmd->add_flag("--json", o->json, "Print the objects as JSON");
  OnLocalRun(*cmd, ctx, &o->json, [&ctx, o]() -> Status {
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, o->bucket, CreateMissing::kNo));
    Json out = Json::array();
    Table t{{"key", "size", "etag", "uploaded"}, {}};
    r2::ListOptions list;
    list.prefix = o->prefix;
    while (true) {
      BLAZE_TRY(auto page, bucket->List(list));
      for (const auto& obj : page.objects) {
        out.push_back(ObjectRowJson(obj));
        t.rows.push_back({obj.key, std::to_string(obj.size), obj.etag, Iso(obj.uploaded_ms)});
      }
      if (!page.truncated) break;
      list.cursor = page.cursor;
    }
    if (o->json)
      PrintJson(std::cout, out);
    else
      PrintTable(std::cout, t);
    return Ok();
  });
}

void AddObjectVersions(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string bucket, key;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = object.add_subcommand("versions", "Every version of a key, newest first");
  cmd->add_option("bucket", o->bucket, "The bucket")->required();
  cmd->add_option("key", o->key, "The object's key")->required();
  cmd->add_flag("--json", o->json, "Print the versions as JSON");
  OnLocalRun(*cmd, ctx, &o->json, [&ctx, o]() -> Status {
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, o->bucket, CreateMissing::kNo));
    BLAZE_TRY(auto versions, bucket->Versions(o->key));
    if (versions.empty()) {
      return Fail(NotFound("'" + o->key + "' has never been written to " + bucket->name()));
    }
    Json out = Json::array();
    Table t{{"version", "size", "etag", "uploaded", "state"}, {}};
    for (const auto& v : versions) {
      out.push_back(VersionJson(v));
      std::string state = v.deleted ? "delete marker" : v.current ? "current" : "";
      t.rows.push_back({v.info.version, v.deleted ? "" : std::to_string(v.info.size), v.info.etag,
                        Iso(v.info.uploaded_ms), state});
    }
    if (o->json)
      PrintJson(std::cout, out);
    else
      PrintTable(std::cout, t);
    return Ok();
  });
}

void AddObjectRestore(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string bucket, key, version;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd =
      object.add_subcommand("restore", "Make an earlier version current again (as a new version)");
  cmd->add_option("bucket", o->bucket, "The bucket")->required();
  cmd->add_option("key", o->key, "The object's key")->required();
  cmd->add_option("--version", o->version, "The version to restore (see `versions`)")->required();
  cmd->add_flag("--json", o->json, "Print the new version as JSON");
  OnLocalRun(*cmd, ctx, &o->json, [&ctx, o]() -> Status {
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, o->bucket, CreateMissing::kNo));
    BLAZE_TRY(auto restored, bucket->Restore(o->key, o->version));
    if (o->json) {
      PrintJson(std::cout, ObjectRowJson(restored));
      return Ok();
    }
    std::cout << "✅ Restored \"" << o->key << "\" in \"" << bucket->name() << "\" to version "
              << o->version << " as new version " << restored.version << ".\n";
    return Ok();
  });
}

void AddObjectPurge(CLI::App& object, CliContext& ctx) {
  struct Opts {
    std::string bucket, key;
    bool yes = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = object.add_subcommand(
      "purge", "Drop old versions and delete markers for good, and the bytes only they used");
  cmd->add_option("bucket", o->bucket, "The bucket")->required();
  cmd->add_option("--key", o->key, "Only this key's old versions (default: every key)");
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  OnLocalRun(*cmd, ctx, nullptr, [&ctx, o]() -> Status {
    BLAZE_TRY(auto bucket, ResolveBucket(ctx, o->bucket, CreateMissing::kNo));
    std::string scope = o->key.empty() ? "every key" : "'" + o->key + "'";
    if (!Confirm("About to drop the old versions of " + scope + " in " + bucket->name() +
                     "; they cannot be restored afterwards. Ok to proceed?",
                 o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
      std::cout << "Not purging.\n";
      return Ok();
    }
    std::optional<std::string> key;
    if (!o->key.empty()) key = o->key;
    BLAZE_TRY(auto stats, bucket->Purge(key));
    std::cout << "Purged " << stats.versions_removed << " old versions and " << stats.blobs_removed
              << " blobs (" << HumanBytes(stats.bytes_freed) << " freed).\n";
    return Ok();
  });
}

}  // namespace

void AddR2Commands(CLI::App& app, CliContext& ctx) {
  auto* root = app.add_subcommand("r2", "Manage R2 buckets and objects (versioned, local)");
  root->require_subcommand(1);
  auto* bucket = root->add_subcommand("bucket", "Create, list and delete buckets");
  bucket->require_subcommand(1);
  AddBucketCreate(*bucket, ctx);
  AddBucketList(*bucket, ctx);
  AddBucketDelete(*bucket, ctx);
  auto* object = root->add_subcommand("object", "Put, get, delete, list and restore objects");
  object->require_subcommand(1);
  AddObjectPut(*object, ctx);
  AddObjectGet(*object, ctx);
  AddObjectDelete(*object, ctx);
  AddObjectList(*object, ctx);
  AddObjectVersions(*object, ctx);
  AddObjectRestore(*object, ctx);
  AddObjectPurge(*object, ctx);
}

}  // namespace blaze::cli
