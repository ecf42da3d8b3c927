#include "blaze/runtime/engine/prelude.h"

#include <dlfcn.h>
#include <elf.h>
#include <js/BuildId.h>
#include <js/CompilationAndEvaluation.h>
#include <js/SourceText.h>
#include <js/Transcoding.h>
#include <jsapi.h>
#include <link.h>
#include <zlib.h>

#include <cstring>
#include <mutex>

#include "blaze/base/log.h"
#include "blaze/runtime/engine/js_util.h"

namespace blaze::engine {
namespace {

// ---- build id ----

// The GNU build id (hex) of the shared object holding SpiderMonkey, or "" when it has none.
std::string LibraryGnuBuildId() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&JS_GetImplementationVersion), &info) == 0) return {};
  struct Search {
    const void* base;
    std::string id;
  } search{info.dli_fbase, {}};
  dl_iterate_phdr(
      [](dl_phdr_info* module, std::size_t, void* data) -> int {
        auto* s = static_cast<Search*>(data);
        bool mine = false;  // dladdr's base is where the module's first segment is mapped
        for (int i = 0; i < module->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = module->dlpi_phdr[i];
          if (ph.p_type == PT_LOAD && ph.p_offset == 0)
            mine = reinterpret_cast<const void*>(module->dlpi_addr + ph.p_vaddr) == s->base;
        }
        if (!mine) return 0;
        for (int i = 0; i < module->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = module->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          auto* p = reinterpret_cast<const unsigned char*>(module->dlpi_addr + ph.p_vaddr);
          const unsigned char* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            ElfW(Nhdr) note;
            std::memcpy(&note, p, sizeof note);
            const unsigned char* name = p + sizeof note;
            const unsigned char* desc = name + ((note.n_namesz + 3) & ~3u);
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
                std::memcmp(name, "GNU", 4) == 0 && desc + note.n_descsz <= end) {
              static const char kHex[] = "0123456789abcdef";
              for (std::uint32_t j = 0; j < note.n_descsz; ++j) {
                s->id += kHex[desc[j] >> 4];
                s->id += kHex[desc[j] & 15];
              }
              return 1;
            }
            p = desc + ((note.n_descsz + 3) & ~3u);
          }
        }
        return 1;  // the right module, without a build id
      },
      &search);
  return search.id;
}

const std::string& BuildIdText() {
  static const std::string id = [] {
    std::string gnu = LibraryGnuBuildId();
    return "blaze-xdr1-" + (gnu.empty() ? std::string(JS_GetImplementationVersion()) : gnu);
  }();
  return id;
}

bool GetBuildId(JS::BuildIdCharVector* out) {
  const std::string& id = BuildIdText();
  return out->append(id.data(), id.size());
}

// ---- envelope ----

constexpr char kMagic[8] = {'B', 'L', 'Z', 'X', 'D', 'R', '\0', '\1'};
constexpr std::size_t kAlign = 16;

struct Header {
  char magic[8];
  std::uint8_t kind;
  std::uint8_t reserved[3];
  std::uint32_t crc;
  std::uint64_t payload_size;
  std::uint16_t build_id_size;
  std::uint16_t digest_size;
  std::uint32_t reserved2;
};
static_assert(sizeof(Header) == 32);

std::size_t AlignUp(std::size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

std::uint32_t Crc32(std::span<const std::uint8_t> bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed in chunks.
  for (std::size_t off = 0; off < bytes.size();) {
    std::size_t n = std::min<std::size_t>(bytes.size() - off, 1u << 30);
    crc = crc32(crc, bytes.data() + off, static_cast<uInt>(n));
    off += n;
  }
  return static_cast<std::uint32_t>(crc);
}

// Prelude payload: {uint32 count, uint32 0}, count x {uint64 offset, uint64 size} (offsets
// relative to the payload), then each file's XDR at a 16-byte aligned offset.
struct Entry {
  std::uint64_t offset;
  std::uint64_t size;
};

JSObject* NewScratchGlobal(JSContext* cx) {
  static const JSClass kClass = {"global", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps};
  JS::RealmOptions options;
  return JS_NewGlobalObject(cx, &kClass, nullptr, JS::FireOnNewGlobalHook, options);
}

std::string TranscodeText(JS::TranscodeResult r) {
  switch (r) {
    case JS::TranscodeResult::Ok:
      return "ok";
    case JS::TranscodeResult::Failure:
      return "failure";
    case JS::TranscodeResult::Failure_BadBuildId:
      return "bad build id";
    case JS::TranscodeResult::Failure_AsmJSNotSupported:
      return "asm.js not supported";
    case JS::TranscodeResult::Failure_BadDecode:
      return "bad decode";
    case JS::TranscodeResult::Throw:
      return "exception";
  }
  return "unknown";
}

}  // namespace

void InstallXdrBuildId() {
  static std::once_flag once;
  std::call_once(once, [] {
    BuildIdText();
    JS::SetProcessBuildIdOp(&GetBuildId);
  });
}

std::string XdrBuildId() { return BuildIdText(); }

std::vector<std::uint8_t> SealXdr(XdrKind kind, std::string_view digest,
                                  std::span<const std::uint8_t> payload) {
  const std::string& id = BuildIdText();
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.kind = static_cast<std::uint8_t>(kind);
  h.crc = Crc32(payload);
  h.payload_size = payload.size();
  h.build_id_size = static_cast<std::uint16_t>(id.size());
  h.digest_size = static_cast<std::uint16_t>(digest.size());
  std::size_t start = AlignUp(sizeof h + id.size() + digest.size());
  std::vector<std::uint8_t> out(start + payload.size(), 0);
  std::memcpy(out.data(), &h, sizeof h);
  std::memcpy(out.data() + sizeof h, id.data(), id.size());
  std::memcpy(out.data() + sizeof h + id.size(), digest.data(), digest.size());
  if (!payload.empty()) std::memcpy(out.data() + start, payload.data(), payload.size());
  return out;
}

Result<std::span<const std::uint8_t>> OpenXdr(std::span<const std::uint8_t> blob, XdrKind kind,
                                              std::string_view digest) {
  Header h;
  if (blob.size() < sizeof h) return Fail(FailedPrecondition("XDR blob is truncated"));
  std::memcpy(&h, blob.data(), sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    return Fail(FailedPrecondition("XDR blob has no Blaze XDR header"));
  if (h.kind != static_cast<std::uint8_t>(kind))
    return Fail(FailedPrecondition("XDR blob is of another kind"));
  std::size_t start = AlignUp(sizeof h + h.build_id_size + h.digest_size);
  if (start > blob.size() || blob.size() - start != h.payload_size)
    return Fail(FailedPrecondition("XDR blob is truncated"));
  std::string_view id(reinterpret_cast<const char*>(blob.data() + sizeof h), h.build_id_size);
  if (id != BuildIdText()) {
    return Fail(FailedPrecondition("XDR blob was made by another SpiderMonkey build (" +
                                   std::string(id) + ", this is " + BuildIdText() + ")"));
  }
  std::string_view got(reinterpret_cast<const char*>(blob.data() + sizeof h + h.build_id_size),
                       h.digest_size);
  if (got != digest) return Fail(FailedPrecondition("XDR blob was made from other sources"));
  if (reinterpret_cast<std::uintptr_t>(blob.data()) % kAlign != 0)
    return Fail(FailedPrecondition("XDR blob is not 16-byte aligned"));
  std::span<const std::uint8_t> payload = blob.subspan(start);
  if (Crc32(payload) != h.crc) return Fail(FailedPrecondition("XDR blob fails its checksum"));
  return payload;
}

Result<std::shared_ptr<const CompiledPrelude>> CompilePrelude(JSContext* cx,
                                                              std::span<const PreludeFile> files) {
  JS::RootedObject scratch(cx, NewScratchGlobal(cx));
  if (!scratch) return Fail(ResourceExhausted("out of memory"));
  JSAutoRealm ar(cx, scratch);
  auto compiled = std::make_shared<CompiledPrelude>();
  for (const PreludeFile& file : files) {
    std::string name(file.name);
    JS::CompileOptions options(cx);
    options.setFileAndLine(name.c_str(), 1);
    SetSharedStencilOptions(options);
    JS::SourceText<mozilla::Utf8Unit> src;
    if (!src.init(cx, file.source.data(), file.source.size(), JS::SourceOwnership::Borrowed))
      return Fail(ResourceExhausted("out of memory"));
    RefPtr<JS::Stencil> stencil = JS::CompileGlobalScriptToStencil(cx, options, src);
    if (!stencil) return Fail(Internal("prelude does not compile: " + TakeExceptionText(cx)));
    compiled->push_back(std::move(stencil));
  }
  return std::shared_ptr<const CompiledPrelude>(std::move(compiled));
}

Result<std::vector<std::uint8_t>> EncodePrelude(JSContext* cx, const CompiledPrelude& prelude,
                                                std::string_view digest) {
  std::vector<Entry> entries(prelude.size());
  std::vector<std::uint8_t> payload(AlignUp(8 + entries.size() * sizeof(Entry)), 0);
  for (std::size_t i = 0; i < prelude.size(); ++i) {
    JS::TranscodeBuffer buffer;
    JS::TranscodeResult r = JS::EncodeStencil(cx, prelude[i].get(), buffer);
    if (r != JS::TranscodeResult::Ok) {
      JS_ClearPendingException(cx);
      return Fail(Internal("EncodeStencil failed for prelude file " + std::to_string(i) + ": " +
                           TranscodeText(r)));
    }
    entries[i] = {payload.size(), buffer.length()};
    payload.insert(payload.end(), buffer.begin(), buffer.end());
    payload.resize(AlignUp(payload.size()), 0);
  }
  std::uint32_t count = static_cast<std::uint32_t>(entries.size());
  std::memcpy(payload.data(), &count, sizeof count);
  if (!entries.empty())
    std::memcpy(payload.data() + 8, entries.data(), entries.size() * sizeof(Entry));
  return SealXdr(XdrKind::kPrelude, digest, payload);
}

Result<std::shared_ptr<const CompiledPrelude>> DecodePrelude(JSContext* cx,
                                                             std::span<const std::uint8_t> blob,
                                                             std::string_view digest,
                                                             std::size_t file_count,
                                                             XdrBuffer buffer) {
  BLAZE_TRY(std::span<const std::uint8_t> payload, OpenXdr(blob, XdrKind::kPrelude, digest));
  std::uint32_t count = 0;
  if (payload.size() < 8) return Fail(FailedPrecondition("prelude XDR is truncated"));
  std::memcpy(&count, payload.data(), sizeof count);
  if (count != file_count) {
    return Fail(FailedPrecondition("prelude XDR has " + std::to_string(count) + " files, the " +
                                   "prelude " + std::to_string(file_count)));
  }
  if (payload.size() < 8 + std::size_t{count} * sizeof(Entry))
    return Fail(FailedPrecondition("prelude XDR is truncated"));
  JS::DecodeOptions options;
  options.borrowBuffer = buffer == XdrBuffer::kStatic;
  options.usePinnedBytecode = buffer == XdrBuffer::kStatic;
  auto decoded = std::make_shared<CompiledPrelude>();
  decoded->reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    Entry e;
    std::memcpy(&e, payload.data() + 8 + i * sizeof(Entry), sizeof e);
    if (e.offset % kAlign != 0 || e.offset > payload.size() || e.size > payload.size() - e.offset)
      return Fail(FailedPrecondition("prelude XDR has a bad file table"));
    JS::TranscodeRange range(payload.data() + e.offset, e.size);
    RefPtr<JS::Stencil> stencil;
    JS::TranscodeResult r = JS::DecodeStencil(cx, options, range, getter_AddRefs(stencil));
    if (r != JS::TranscodeResult::Ok || !stencil) {
      JS_ClearPendingException(cx);
      return Fail(FailedPrecondition("SpiderMonkey refused prelude XDR file " + std::to_string(i) +
                                     ": " + TranscodeText(r)));
    }
    decoded->push_back(std::move(stencil));
  }
  return std::shared_ptr<const CompiledPrelude>(std::move(decoded));
}

Result<LoadedPrelude> LoadPrelude(JSContext* cx, std::span<const PreludeFile> files,
                                  std::string_view digest, std::span<const std::uint8_t> xdr,
                                  XdrBuffer buffer) {
  std::string reason = "no XDR was built";
  if (!xdr.empty()) {
    auto decoded = DecodePrelude(cx, xdr, digest, files.size(), buffer);
    if (decoded.has_value()) return LoadedPrelude{std::move(*decoded), PreludeOrigin::kXdr};
    reason = decoded.error().message();
  }
  if (!files.empty()) {
    log::Warn("engine.xdr.rejected",
              {{"what", "prelude"}, {"reason", reason}, {"fallback", "compiling the sources"}});
  }
  BLAZE_TRY(auto compiled, CompilePrelude(cx, files));
  return LoadedPrelude{std::move(compiled), PreludeOrigin::kCompiled};
}

Result<std::shared_ptr<const CompiledPrelude>> LoadEmbeddedPrelude(JSContext* cx) {
  BLAZE_TRY(LoadedPrelude loaded, LoadPrelude(cx, EmbeddedPrelude(), EmbeddedPreludeDigest(),
                                              EmbeddedPreludeXdr(), XdrBuffer::kStatic));
  return std::move(loaded.stencils);
}

std::span<const std::uint8_t> SelfHostedCache() {
  static const std::span<const std::uint8_t> cache = [] {
    std::span<const std::uint8_t> blob = EmbeddedSelfHostedXdr();
    if (blob.empty()) return blob;
    auto payload = OpenXdr(blob, XdrKind::kSelfHosted, "");
    if (payload.has_value()) return *payload;
    log::Warn("engine.xdr.rejected", {{"what", "self-hosted"},
                                      {"reason", payload.error().message()},
                                      {"fallback", "parsing SpiderMonkey's self-hosted code"}});
    return std::span<const std::uint8_t>();
  }();
  return cache;
}

}  // namespace blaze::engine
