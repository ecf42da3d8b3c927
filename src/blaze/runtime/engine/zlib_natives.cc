#include "blaze/runtime/engine/zlib_natives.h"

#include <js/Conversions.h>
#include <js/Object.h>
#include <js/PropertyAndElement.h>
#include <zlib.h>

#include <exception>
#include <new>

#include "blaze/runtime/engine/host_api.h"
#include "blaze/runtime/engine/js_util.h"

namespace blaze::engine {

// workerd's messages (compression.c++), so scripts that match on them behave the same.
constexpr char kDecompressionFailed[] = "Decompression failed.";
constexpr char kCompressionFailed[] = "Compression failed.";
constexpr char kTruncated[] = "Called close() on a decompression stream with incomplete data";
constexpr char kTrailing[] = "Trailing bytes after end of compressed data";
constexpr size_t kChunk = 64 * 1024;

struct ZlibCodec::State {
  z_stream z{};
  ZlibMode mode = ZlibMode::kCompress;
  bool ended = false;  // inflate saw Z_STREAM_END / deflate finished
};

std::optional<ZlibFormat> ZlibCodec::ParseFormat(std::string_view name) {
  if (name == "gzip") return ZlibFormat::kGzip;
  if (name == "deflate") return ZlibFormat::kDeflate;
  if (name == "deflate-raw") return ZlibFormat::kDeflateRaw;
  return std::nullopt;
}

Result<std::unique_ptr<ZlibCodec>> ZlibCodec::Create(ZlibFormat format, ZlibMode mode) {
  int window_bits = format == ZlibFormat::kGzip      ? 15 + 16
                    : format == ZlibFormat::kDeflate ? 15
                                                     : -15;
  auto state = std::make_unique<State>();
  state->mode = mode;
  int rc = mode == ZlibMode::kCompress ? deflateInit2(&state->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
                                                      window_bits, 8, Z_DEFAULT_STRATEGY)
                                       : inflateInit2(&state->z, window_bits);
  if (rc == Z_MEM_ERROR) return std::unexpected(ResourceExhausted("zlib: out of memory"));
  if (rc != Z_OK) return std::unexpected(Internal("zlib: init failed"));
  return std::unique_ptr<ZlibCodec>(new ZlibCodec(std::move(state)));
}

ZlibCodec::ZlibCodec(std::unique_ptr<State> state) : state_(std::move(state)) {}

ZlibCodec::~ZlibCodec() {
  if (state_->mode == ZlibMode::kCompress) {
    deflateEnd(&state_->z);
  } else {
    inflateEnd(&state_->z);
  }
}

Result<std::string> ZlibCodec::Push(std::string_view input) { return Run(input, false); }
Result<std::string> ZlibCodec::Finish() { return Run({}, true); }

Result<std::string> ZlibCodec::Run(std::string_view input, bool finish) {
  z_stream& z = state_->z;
  std::string out;
  if (state_->mode == ZlibMode::kDecompress && state_->ended) {
    if (!input.empty()) return std::unexpected(InvalidArgument(kTrailing));
    return out;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  while (true) {
    size_t used = out.size();
    out.resize(used + kChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = static_cast<uInt>(kChunk);
    int rc = state_->mode == ZlibMode::kCompress ? deflate(&z, finish ? Z_FINISH : Z_NO_FLUSH)
                                                 : inflate(&z, Z_NO_FLUSH);
    out.resize(used + (kChunk - z.avail_out));
    if (state_->mode == ZlibMode::kCompress) {
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        return std::unexpected(InvalidArgument(kCompressionFailed));
      if (!finish && z.avail_in == 0 && z.avail_out != 0) break;
      continue;
    }
    if (rc == Z_STREAM_END) {
      state_->ended = true;
      if (z.avail_in != 0) return std::unexpected(InvalidArgument(kTrailing));
      break;
    }
    if (rc == Z_BUF_ERROR) {  // no progress possible: needs more input
      if (finish) return std::unexpected(InvalidArgument(kTruncated));
      break;
    }
    if (rc != Z_OK) return std::unexpected(InvalidArgument(kDecompressionFailed));
    if (z.avail_in == 0 && z.avail_out != 0) {
      if (finish) return std::unexpected(InvalidArgument(kTruncated));
      break;
    }
  }
  return out;
}

namespace {


constexpr uint32_t kCodecSlot = 0;

// Runs during GC sweeping: no JSAPI calls here, only freeing the codec.
void FinalizeCodec(JS::GCContext*, JSObject* obj) {
  delete JS::GetMaybePtrFromReservedSlot<ZlibCodec>(obj, kCodecSlot);
}

const JSClassOps kCodecOps = {nullptr, nullptr,       nullptr, nullptr, nullptr,
                              nullptr, FinalizeCodec, nullptr, nullptr, nullptr};
const JSClass kCodecClass = {
    "ZlibStream", JSCLASS_HAS_RESERVED_SLOTS(1) | JSCLASS_FOREGROUND_FINALIZE, &kCodecOps};

// The open codec behind args[0], or nullptr with a pending TypeError.
ZlibCodec* CodecArg(JSContext* cx, JS::CallArgs& args) {
  JS::HandleValue v = args.get(0);
  if (!v.isObject() || JS::GetClass(&v.toObject()) != &kCodecClass) {
    ThrowError(cx, JSEXN_TYPEERR, "zlib: expected a stream handle");
    return nullptr;
  }
  auto* codec = JS::GetMaybePtrFromReservedSlot<ZlibCodec>(&v.toObject(), kCodecSlot);
  if (!codec) ThrowError(cx, JSEXN_TYPEERR, "zlib: the stream is closed");
  return codec;
}

void CloseCodec(JSObject* obj) {
  delete JS::GetMaybePtrFromReservedSlot<ZlibCodec>(obj, kCodecSlot);
  JS::SetReservedSlot(obj, kCodecSlot, JS::UndefinedValue());  // null is Undefined, not Private
}

bool ReturnBytes(JSContext* cx, JS::CallArgs& args, const Result<std::string>& r) {
  if (!r) return ThrowError(cx, JSEXN_TYPEERR, r.error().message());
  JSObject* array = NewUint8Array(cx, *r);
  if (!array) return false;
  args.rval().setObject(*array);
  return true;
}

bool Create(JSContext* cx, JS::CallArgs& args) {
  std::string name = ValueToUtf8(cx, args.get(0));
  auto format = ZlibCodec::ParseFormat(name);
  if (!format) return ThrowError(cx, JSEXN_TYPEERR, "zlib: unknown format " + name);
  ZlibMode mode = JS::ToBoolean(args.get(1)) ? ZlibMode::kCompress : ZlibMode::kDecompress;
  auto codec = ZlibCodec::Create(*format, mode);
  if (!codec) return ThrowBlazeError(cx, codec.error());
  JS::RootedObject handle(cx, JS_NewObject(cx, &kCodecClass));
  if (!handle) return false;
  JS::SetReservedSlot(handle, kCodecSlot, JS::PrivateValue(codec->release()));  // finalizer owns
  args.rval().setObject(*handle);
  return true;
}

bool Push(JSContext* cx, JS::CallArgs& args) {
  ZlibCodec* codec = CodecArg(cx, args);
  if (!codec) return false;
  std::string input;
  if (!CopyBufferSource(args.get(1), &input))
    return ThrowError(cx, JSEXN_TYPEERR, "zlib: push expects a BufferSource");
  return ReturnBytes(cx, args, codec->Push(input));
}

bool Finish(JSContext* cx, JS::CallArgs& args) {
  ZlibCodec* codec = CodecArg(cx, args);
  if (!codec) return false;
  Result<std::string> rest = codec->Finish();
  CloseCodec(&args[0].toObject());
  return ReturnBytes(cx, args, rest);
}

bool Close(JSContext*, JS::CallArgs& args) {
  JS::HandleValue v = args.get(0);
  if (v.isObject() && JS::GetClass(&v.toObject()) == &kCodecClass) CloseCodec(&v.toObject());
  args.rval().setUndefined();
  return true;
}

const JSFunctionSpec kZlibFunctions[] = {
    JS_FN("create", Native<Create>, 2, 0),
    JS_FN("push", Native<Push>, 2, 0),
    JS_FN("finish", Native<Finish>, 1, 0),
    JS_FN("close", Native<Close>, 1, 0),
    JS_FS_END,
};

}  // namespace

JSObject* NewZlibHostObject(JSContext* cx) {
  JS::RootedObject zlib(cx, JS_NewPlainObject(cx));
  if (!zlib || !JS_DefineFunctions(cx, zlib, kZlibFunctions)) return nullptr;
  return zlib;
}

}  // namespace blaze::engine
