#include "blaze/admin/core_state.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <exception>

#include "blaze/admin/api_error.h"
#include "blaze/admin/tail.h"
#include "blaze/base/log.h"

namespace blaze::admin {

namespace asio = boost::asio;

Post CoreState::post() {
  return [&io = io_](std::function<void()> task) { asio::post(io, std::move(task)); };
}

void CoreState::OffloadAsync(http::Respond respond, std::function<void(Done done)> work,
                             Lane lane) {
  if (ctx_.stopping()) return respond(ErrorResponse(Unavailable("the server is stopping")));
  std::uint64_t id = next_id_++;
  parked_.emplace(id, std::move(respond));
  std::weak_ptr<CoreState> weak = weak_from_this();
  auto answered = std::make_shared<std::atomic<bool>>(false);
  // The pool is joined before the cores stop (ApiServer::Stop), so io_ outlives every Done.
  Done done = [weak, io = &io_, id, answered](http::HttpResponse response) {
    if (answered->exchange(true)) return;
    asio::post(*io, [weak, id, response = std::move(response)]() mutable {
      if (auto self = weak.lock()) self->Complete(id, std::move(response));
    });
  };
  asio::post(ctx_.pool(lane), [work = std::move(work), done]() {
    try {
      work(done);
    } catch (const std::exception& e) {
      log::Error("admin.pool_task_failed", {{"what", e.what()}});
      done(ErrorResponse(Internal(std::string("internal error: ") + e.what())));
    }
  });
}

void CoreState::Offload(http::Respond respond, std::function<http::HttpResponse()> work,
                        Lane lane) {
  OffloadAsync(
      std::move(respond), [work = std::move(work)](Done done) { done(work()); }, lane);
}

void CoreState::Complete(std::uint64_t id, http::HttpResponse response) {
  auto it = parked_.find(id);
  if (it == parked_.end()) return;
  http::Respond respond = std::move(it->second);
  parked_.erase(it);
  respond(std::move(response));
}

void CoreState::AddTail(const std::shared_ptr<TailStream>& tail) {
  std::erase_if(tails_, [](const auto& weak) { return weak.expired(); });
  tails_.push_back(tail);
}

void CoreState::EndTails() {
  auto tails = std::move(tails_);
  tails_.clear();
  for (auto& weak : tails) {
    if (auto tail = weak.lock()) tail->End();
  }
}

}  // namespace blaze::admin
