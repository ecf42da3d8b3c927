#include "blaze/storage/blob/zstd_file.h"

#include <zstd.h>

#include <vector>

#include "blaze/storage/blob/sha256.h"

namespace blaze::blob {
namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

constexpr std::size_t kChunk = 1 << 20;

// Feeds chunks from `next` (empty chunk = end) through zstd into `out_path`.
template <typename NextChunk>
Result<CodecStats> Compress(fs::Env& env, NextChunk next, const std::string& out_path,
                            const CompressOptions& opts) {
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  if (!cctx) return Fail(ResourceExhausted("zstd: cannot allocate a compression context"));
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, opts.level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  if (opts.workers > 0) ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_nbWorkers, opts.workers);

  BLAZE_TRY(auto out, env.NewWritableFile(out_path));
  std::vector<char> outbuf(ZSTD_CStreamOutSize());
  CodecStats stats;
  Sha256 hash;
  bool last = false;
  while (!last) {
    BLAZE_TRY(std::string_view chunk, next());
    last = chunk.empty();
    stats.plain_bytes += chunk.size();
    ZSTD_inBuffer input{chunk.data(), chunk.size(), 0};
    ZSTD_EndDirective mode = last ? ZSTD_e_end : ZSTD_e_continue;
    bool done = false;
    while (!done) {
      ZSTD_outBuffer output{outbuf.data(), outbuf.size(), 0};
      std::size_t rem = ZSTD_compressStream2(cctx.get(), &output, &input, mode);
      if (ZSTD_isError(rem)) return Fail(Internal(std::string("zstd: ") + ZSTD_getErrorName(rem)));
      std::string_view produced(outbuf.data(), output.pos);
      hash.Update(produced);
      BLAZE_TRY_VOID(out->Append(produced));
      stats.compressed_bytes += output.pos;
      done = last ? rem == 0 : input.pos == input.size;
    }
  }
  BLAZE_TRY_VOID(out->Sync());
  BLAZE_TRY_VOID(out->Close());
  stats.compressed_sha256 = hash.HexDigest();
  return stats;
}

}  // namespace

Result<CodecStats> CompressFile(fs::Env& env, const std::string& in_path,
                                const std::string& out_path, const CompressOptions& opts) {
  BLAZE_TRY(auto in, env.NewSequentialFile(in_path));
  std::vector<char> buf(kChunk);
  auto next = [&]() -> Result<std::string_view> {
    BLAZE_TRY(std::size_t n, in->Read(buf.data(), buf.size()));
    return std::string_view(buf.data(), n);
  };
  return Compress(env, next, out_path, opts);
}

Result<CodecStats> CompressBuffer(fs::Env& env, std::string_view data, const std::string& out_path,
                                  const CompressOptions& opts) {
  auto next = [&]() -> Result<std::string_view> {
    std::string_view chunk = data.substr(0, std::min(data.size(), kChunk));
    data.remove_prefix(chunk.size());
    return chunk;
  };
  return Compress(env, next, out_path, opts);
}

Result<CodecStats> DecompressFile(fs::Env& env, const std::string& in_path,
                                  const std::string& out_path) {
  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  if (!dctx) return Fail(ResourceExhausted("zstd: cannot allocate a decompression context"));
  BLAZE_TRY(auto in, env.NewSequentialFile(in_path));
  BLAZE_TRY(auto out, env.NewWritableFile(out_path));
  std::vector<char> inbuf(ZSTD_DStreamInSize()), outbuf(ZSTD_DStreamOutSize());
  CodecStats stats;
  Sha256 hash;
  std::size_t pending = 1;  // 0 once a frame is complete
  while (true) {
    BLAZE_TRY(std::size_t n, in->Read(inbuf.data(), inbuf.size()));
    if (n == 0) break;
    stats.compressed_bytes += n;
    hash.Update({inbuf.data(), n});
    ZSTD_inBuffer input{inbuf.data(), n, 0};
    while (input.pos < input.size) {
      ZSTD_outBuffer output{outbuf.data(), outbuf.size(), 0};
      pending = ZSTD_decompressStream(dctx.get(), &output, &input);
      if (ZSTD_isError(pending)) {
        return Fail(DataLoss(in_path + " is corrupt: zstd: " + ZSTD_getErrorName(pending)));
      }
      stats.plain_bytes += output.pos;
      BLAZE_TRY_VOID(out->Append({outbuf.data(), output.pos}));
    }
  }
  if (pending != 0) return Fail(DataLoss(in_path + " is truncated (zstd frame incomplete)"));
  BLAZE_TRY_VOID(out->Sync());
  BLAZE_TRY_VOID(out->Close());
  stats.compressed_sha256 = hash.HexDigest();
  return stats;
}

}  // namespace blaze::blob
