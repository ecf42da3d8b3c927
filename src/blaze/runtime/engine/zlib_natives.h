// `__blazeHost.zlib`: zlib streams for runtime/webapi/js/compression.js (CompressionStream and
// DecompressionStream). A handle is a native object owning one z_stream; it is freed by
// `close(handle)`, by `finish`, or by the GC finalizer, whichever comes first.
//   create(format, compress) -> handle   format "gzip" | "deflate" | "deflate-raw"
//   push(handle, bytes) -> Uint8Array     output produced so far (may be empty)
//   finish(handle) -> Uint8Array          the rest; then the handle is closed
//   close(handle)                         frees the stream now (idempotent)
// Corrupt or truncated input, trailing bytes and use after close throw TypeErrors with
// workerd's messages. Engine-internal.
#pragma once

#include <jsapi.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::engine {

enum class ZlibFormat { kGzip, kDeflate, kDeflateRaw };
enum class ZlibMode { kCompress, kDecompress };

// One zlib stream. Errors are values (InvalidArgument → TypeError in JS); no exceptions.
class ZlibCodec {
 public:
  static Result<std::unique_ptr<ZlibCodec>> Create(ZlibFormat format, ZlibMode mode);
  static std::optional<ZlibFormat> ParseFormat(std::string_view name);
  ~ZlibCodec();
  ZlibCodec(const ZlibCodec&) = delete;
  ZlibCodec& operator=(const ZlibCodec&) = delete;

  Result<std::string> Push(std::string_view input);
  Result<std::string> Finish();

 private:
  struct State;
  explicit ZlibCodec(std::unique_ptr<State> state);
  Result<std::string> Run(std::string_view input, bool finish);
  std::unique_ptr<State> state_;
};

JSObject* NewZlibHostObject(JSContext* cx);

}  // namespace blaze::engine
