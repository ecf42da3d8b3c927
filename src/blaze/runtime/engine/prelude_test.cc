#include "blaze/runtime/engine/prelude.h"

#include <gtest/gtest.h>
#include <js/Initialization.h>
#include <jsapi.h>

#include <cstring>
#include <functional>
#include <thread>

#include "blaze/runtime/engine/engine_test_util.h"
#include "blaze/runtime/engine/js_process.h"

namespace blaze::engine {
namespace {

// Runs `fn` on a thread of its own with a JSContext of its own (a thread may hold one context,
// and the test thread's Harness engines hold theirs). Stencils made there are usable anywhere.
void WithContext(const std::function<void(JSContext*)>& fn) {
  JsProcess& process = testing::Process();
  std::thread([&] {
    JSContext* cx = JS_NewContext(JS::DefaultHeapMaxBytes * 8, process.parent_runtime());
    ASSERT_NE(cx, nullptr);
    ASSERT_TRUE(JS::InitSelfHostedCode(cx));
    fn(cx);
    JS_DestroyContext(cx);
  }).join();
}

std::vector<std::uint8_t> Copy(std::span<const std::uint8_t> bytes) {
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());  // new[]: 16-byte aligned
}

// A worker touching many prelude files, so a decoded prelude that differs shows in the body.
constexpr const char* kWebApiWorker = R"(
  export default {
    async fetch(request) {
      const url = new URL('https://user@example.com:8080/a/../b?x=1&y=%20z#f');
      const params = new URLSearchParams('a=1&b=2&a=3');
      const headers = new Headers({ 'X-One': '1' });
      headers.append('x-two', '2');
      const bytes = new TextEncoder().encode('héllo');
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const stream = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
      const streamed = await new Response(stream.pipeThrough(new TransformStream())).text();
      const form = new FormData();
      form.append('k', 'v');
      const blob = new Blob(['ab', 'cd'], { type: 'text/plain' });
      const pattern = new URLPattern({ pathname: '/teams/:team' });
      const cloned = structuredClone({ d: new Date(0), m: new Map([[1, 2]]) });
      let stack = '';
      try { new Headers([['bad name', 'v']]); } catch (e) { stack = e.stack.split('\n')[0]; }
      return Response.json({
        url: url.href, host: url.host, params: params.getAll('a'), sorted: String(params),
        headers: [...headers], bytes: Array.from(bytes), digest: Array.from(digest.slice(0, 4)),
        streamed, form: [...form], blob: [blob.size, blob.type, await blob.text()],
        match: pattern.exec('https://x/teams/lakers').pathname.groups.team,
        cloned: [cloned.d.getTime(), cloned.m.get(1)], stack, method: request.method,
        signal: request.signal.aborted, abort: AbortSignal.abort().aborted,
      });
    },
  };)";

std::string Serve(std::shared_ptr<const CompiledPrelude> prelude) {
  boost::asio::io_context io;
  EngineOptions options;
  options.compiled_prelude = std::move(prelude);
  auto engine = Engine::Create(testing::Process(), io, std::move(options));
  if (!engine) return "engine: " + engine.error().ToString();
  auto bundle = (*engine)->Compile({"worker.js", {{"worker.js", kWebApiWorker}}});
  if (!bundle) return "compile: " + bundle.error().ToString();
  std::optional<Invocation> result;
  (*engine)->Invoke(*bundle, {}, testing::Get(), [&](Invocation i) { result = std::move(i); });
  while (!result && io.run_one() > 0) {
  }
  if (!result) return "no result";
  if (result->outcome != Outcome::kOk) return "exception: " + result->exception;
  return result->response.body;
}

TEST(PreludeXdr, BuildIdNamesTheLibmozjsBuild) {
  std::string id = XdrBuildId();
  EXPECT_EQ(id.rfind("blaze-xdr1-", 0), 0u) << id;
  EXPECT_GT(id.size(), std::string("blaze-xdr1-").size());
}

TEST(PreludeXdr, EmbeddedBlobsMatchThisBuild) {
  ASSERT_FALSE(EmbeddedPrelude().empty());
  EXPECT_TRUE(
      OpenXdr(EmbeddedPreludeXdr(), XdrKind::kPrelude, EmbeddedPreludeDigest()).has_value());
  auto self_hosted = OpenXdr(EmbeddedSelfHostedXdr(), XdrKind::kSelfHosted, "");
  ASSERT_TRUE(self_hosted.has_value()) << self_hosted.error().message();
  EXPECT_EQ(SelfHostedCache().data(), self_hosted->data());  // JsProcess decodes, not parses
}

// The decoded prelude must behave exactly like the one compiled from the sources.
TEST(PreludeXdr, DecodedPreludeServesTheWebApisLikeTheCompiledOne) {
  std::shared_ptr<const CompiledPrelude> decoded, compiled;
  WithContext([&](JSContext* cx) {
    auto loaded = LoadPrelude(cx, EmbeddedPrelude(), EmbeddedPreludeDigest(), EmbeddedPreludeXdr(),
                              XdrBuffer::kStatic);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
    EXPECT_EQ(loaded->origin, PreludeOrigin::kXdr);
    decoded = loaded->stencils;
    auto from_source = CompilePrelude(cx, EmbeddedPrelude());
    ASSERT_TRUE(from_source.has_value()) << from_source.error().message();
    compiled = *from_source;
  });
  ASSERT_EQ(decoded->size(), EmbeddedPrelude().size());
  std::string a = Serve(decoded);
  std::string b = Serve(compiled);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("\"match\":\"lakers\""), std::string::npos) << a;
  EXPECT_NE(a.find("webapi/headers.js"), std::string::npos) << a;  // file names survive XDR
}

TEST(PreludeXdr, RejectsBlobsThatDoNotMatch) {
  std::vector<std::uint8_t> good = Copy(EmbeddedPreludeXdr());
  std::string_view digest = EmbeddedPreludeDigest();
  auto reason = [&](std::span<const std::uint8_t> blob, std::string_view d, XdrKind kind) {
    auto r = OpenXdr(blob, kind, d);
    return r.has_value() ? std::string("accepted") : r.error().message();
  };
  EXPECT_EQ(reason(good, digest, XdrKind::kPrelude), "accepted");
  EXPECT_NE(reason(good, "0123", XdrKind::kPrelude).find("other sources"), std::string::npos);
  EXPECT_NE(reason(good, digest, XdrKind::kSelfHosted).find("another kind"), std::string::npos);
  EXPECT_NE(
      reason(std::span(good).first(good.size() - 1), digest, XdrKind::kPrelude).find("truncated"),
      std::string::npos);
  EXPECT_NE(reason(std::span(good).first(10), digest, XdrKind::kPrelude).find("truncated"),
            std::string::npos);

  std::vector<std::uint8_t> flipped = good;
  flipped[flipped.size() / 2] ^= 0x40;
  EXPECT_NE(reason(flipped, digest, XdrKind::kPrelude).find("checksum"), std::string::npos);

  std::vector<std::uint8_t> other_build = good;
  other_build[32] ^= 0x01;  // the first byte of the build id, right after the 32-byte header
  EXPECT_NE(reason(other_build, digest, XdrKind::kPrelude).find("another SpiderMonkey build"),
            std::string::npos);

  std::vector<std::uint8_t> no_magic = good;
  no_magic[0] = 'X';
  EXPECT_NE(reason(no_magic, digest, XdrKind::kPrelude).find("header"), std::string::npos);
}

// A blob whose envelope is intact but whose XDR SpiderMonkey refuses (here: SpiderMonkey's own
// build id inside the first file's XDR) fails cleanly instead of crashing.
TEST(PreludeXdr, SpiderMonkeyRefusalIsAnErrorNotACrash) {
  auto payload = OpenXdr(EmbeddedPreludeXdr(), XdrKind::kPrelude, EmbeddedPreludeDigest());
  ASSERT_TRUE(payload.has_value());
  std::vector<std::uint8_t> inner = Copy(*payload);
  std::uint64_t first_offset;
  std::memcpy(&first_offset, inner.data() + 8, sizeof first_offset);
  inner[first_offset + 4] ^= 0x01;  // after SpiderMonkey's uint32 build-id length
  std::vector<std::uint8_t> blob = SealXdr(XdrKind::kPrelude, EmbeddedPreludeDigest(), inner);
  WithContext([&](JSContext* cx) {
    auto decoded = DecodePrelude(cx, blob, EmbeddedPreludeDigest(), EmbeddedPrelude().size(),
                                 XdrBuffer::kCopy);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(decoded.error().message().find("SpiderMonkey refused"), std::string::npos)
        << decoded.error().message();
    EXPECT_FALSE(JS_IsExceptionPending(cx));
  });
}

TEST(PreludeXdr, CorruptBlobFallsBackToCompilingWithAWarning) {
  std::vector<std::uint8_t> corrupt = Copy(EmbeddedPreludeXdr());
  corrupt[corrupt.size() - 100] ^= 0xff;
  std::shared_ptr<const CompiledPrelude> prelude;
  ::testing::internal::CaptureStderr();
  WithContext([&](JSContext* cx) {
    auto loaded =
        LoadPrelude(cx, EmbeddedPrelude(), EmbeddedPreludeDigest(), corrupt, XdrBuffer::kCopy);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
    EXPECT_EQ(loaded->origin, PreludeOrigin::kCompiled);
    prelude = loaded->stencils;
  });
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("engine.xdr.rejected"), std::string::npos) << err;
  EXPECT_NE(err.find("checksum"), std::string::npos) << err;
  ASSERT_TRUE(prelude);
  EXPECT_NE(Serve(prelude).find("\"match\":\"lakers\""), std::string::npos);
}

TEST(PreludeXdr, EncodesAndDecodesAnyPrelude) {
  std::vector<PreludeFile> files = {{"a.js", "globalThis.__blazeHost.internal = {};"},
                                    {"b.js", "var x = [1, 2, 3].map((v) => v * 2);"}};
  WithContext([&](JSContext* cx) {
    auto compiled = CompilePrelude(cx, files);
    ASSERT_TRUE(compiled.has_value());
    auto blob = EncodePrelude(cx, **compiled, "digest-1");
    ASSERT_TRUE(blob.has_value()) << blob.error().message();
    auto decoded = DecodePrelude(cx, *blob, "digest-1", 2, XdrBuffer::kCopy);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message();
    EXPECT_EQ((*decoded)->size(), 2u);
    auto wrong_count = DecodePrelude(cx, *blob, "digest-1", 3, XdrBuffer::kCopy);
    ASSERT_FALSE(wrong_count.has_value());
    EXPECT_NE(wrong_count.error().message().find("has 2 files"), std::string::npos);
  });
}

}  // namespace
}  // namespace blaze::engine
