#include "blaze/admin/request_body.h"

#include <memory>

namespace blaze::admin {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;

Error TooLarge(std::size_t limit) {
  return ResourceExhausted("the request body is over the " + std::to_string(limit >> 20) +
                           " MiB limit");
}

struct Reader : std::enable_shared_from_this<Reader> {
  std::shared_ptr<ByteSource> source;
  std::size_t limit = 0;
  std::string bytes;
  BodyCallback done;

  void Next() {
    source->Read(kReadChunk, [self = shared_from_this()](Result<ByteChunk> chunk) {
      self->OnChunk(std::move(chunk));
    });
  }

  void OnChunk(Result<ByteChunk> chunk) {
    if (!chunk) {
      Error error = chunk.error().code() == ErrorCode::kResourceExhausted
                        ? TooLarge(limit)
                        : Error(chunk.error().code(),
                                "the request body could not be read: " + chunk.error().message());
      return Finish(Fail(std::move(error)));
    }
    if (bytes.size() + chunk->bytes.size() > limit) {
      source->Cancel();
      return Finish(Fail(TooLarge(limit)));
    }
    bytes += chunk->bytes;
    if (chunk->end) return Finish(std::move(bytes));
    Next();
  }

  void Finish(Result<std::string> result) {
    BodyCallback callback = std::move(done);
    source.reset();
    callback(std::move(result));
  }
};

}  // namespace

void ReadBody(http::Body body, std::size_t limit, const Post& post, BodyCallback done) {
  if (body.is_buffered()) {
    Result<std::string> result = body.size() > limit
                                     ? Result<std::string>(Fail(TooLarge(limit)))
                                     : Result<std::string>(std::move(body).TakeBuffered());
    post([done = std::move(done), result = std::move(result)]() mutable {
      done(std::move(result));
    });
    return;
  }
  if (auto length = body.stream_length(); length && *length > limit) {
    std::move(body).TakeStream()->Cancel();
    post([done = std::move(done), limit] { done(Fail(TooLarge(limit))); });
    return;
  }
  auto reader = std::make_shared<Reader>();
  reader->source = std::move(body).TakeStream();
  reader->limit = limit;
  reader->done = std::move(done);
  reader->Next();
}

}  // namespace blaze::admin
