// ZlibCodec against bytes made by Python's gzip/zlib modules (fixed mtime), plus round trips
// and the error paths: corrupt input, truncated input, trailing bytes.
#include "blaze/runtime/engine/zlib_natives.h"

#include <gtest/gtest.h>

#include <string>

namespace blaze::engine {
namespace {

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// gzip.compress(b'hello world\n', mtime=0)
constexpr char kHelloGzip[] = "1f8b0800000000000203cb48cdc9c95728cf2fca49e102002d3b08af0c000000";
// zlib.compressobj(6, DEFLATED, -15) of b'hello world\n'
constexpr char kHelloRaw[] = "cb48cdc9c95728cf2fca49e10200";

std::unique_ptr<ZlibCodec> Make(ZlibFormat format, ZlibMode mode) {
  auto codec = ZlibCodec::Create(format, mode);
  EXPECT_TRUE(codec.has_value());
  return codec ? std::move(*codec) : nullptr;
}

// Feeds `input` one byte at a time (the hardest split), then finishes.
Result<std::string> RunBytewise(ZlibCodec& codec, std::string_view input) {
  std::string out;
  for (char c : input) {
    auto part = codec.Push(std::string_view(&c, 1));
    if (!part) return part;
    out += *part;
  }
  auto rest = codec.Finish();
  if (!rest) return rest;
  return out + *rest;
}

TEST(ZlibCodec, KnownGzipBytesDecompress) {
  auto codec = Make(ZlibFormat::kGzip, ZlibMode::kDecompress);
  auto out = codec->Push(Unhex(kHelloGzip));
  ASSERT_TRUE(out.has_value());
  auto rest = codec->Finish();
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(*out + *rest, "hello world\n");
}

TEST(ZlibCodec, KnownRawDeflateDecompressesByteByByte) {
  auto codec = Make(ZlibFormat::kDeflateRaw, ZlibMode::kDecompress);
  auto out = RunBytewise(*codec, Unhex(kHelloRaw));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, "hello world\n");
}

TEST(ZlibCodec, EveryFormatRoundTripsALargeInput) {
  std::string input;
  for (int i = 0; i < 200000; ++i) input += static_cast<char>((i * 7919) % 251);
  for (auto format : {ZlibFormat::kGzip, ZlibFormat::kDeflate, ZlibFormat::kDeflateRaw}) {
    auto c = Make(format, ZlibMode::kCompress);
    auto packed = c->Push(input);
    ASSERT_TRUE(packed.has_value());
    auto tail = c->Finish();
    ASSERT_TRUE(tail.has_value());
    auto d = Make(format, ZlibMode::kDecompress);
    auto plain = d->Push(*packed + *tail);
    ASSERT_TRUE(plain.has_value());
    auto rest = d->Finish();
    ASSERT_TRUE(rest.has_value());
    EXPECT_EQ(*plain + *rest, input);
  }
}

TEST(ZlibCodec, CorruptInputIsATypeErrorMessage) {
  auto codec = Make(ZlibFormat::kGzip, ZlibMode::kDecompress);
  auto out = codec->Push("this is not gzip at all");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message(), "Decompression failed.");
}

TEST(ZlibCodec, TruncatedInputFailsOnFinish) {
  std::string gz = Unhex(kHelloGzip);
  auto codec = Make(ZlibFormat::kGzip, ZlibMode::kDecompress);
  ASSERT_TRUE(codec->Push(gz.substr(0, gz.size() - 4)).has_value());
  auto rest = codec->Finish();
  ASSERT_FALSE(rest.has_value());
  EXPECT_EQ(rest.error().message(),
            "Called close() on a decompression stream with incomplete data");
}

TEST(ZlibCodec, TrailingBytesAfterTheStreamFail) {
  auto codec = Make(ZlibFormat::kGzip, ZlibMode::kDecompress);
  auto out = codec->Push(Unhex(kHelloGzip) + "x");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message(), "Trailing bytes after end of compressed data");
}

TEST(ZlibCodec, ParseFormatKnowsTheThreeNames) {
  EXPECT_EQ(ZlibCodec::ParseFormat("gzip"), ZlibFormat::kGzip);
  EXPECT_EQ(ZlibCodec::ParseFormat("deflate"), ZlibFormat::kDeflate);
  EXPECT_EQ(ZlibCodec::ParseFormat("deflate-raw"), ZlibFormat::kDeflateRaw);
  EXPECT_EQ(ZlibCodec::ParseFormat("br"), std::nullopt);
}

}  // namespace
}  // namespace blaze::engine
