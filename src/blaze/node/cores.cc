#include "blaze/node/cores.h"

#include <boost/asio/post.hpp>
#include <condition_variable>

namespace blaze::node {

void Cores::Add(int index, boost::asio::io_context& io, CoreHandler* handler) {
  std::lock_guard lock(mu_);
  if (slots_.size() <= static_cast<std::size_t>(index)) slots_.resize(index + 1);
  slots_[index] = {&io, handler};
}

int Cores::size() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(slots_.size());
}

void Cores::Publish(std::shared_ptr<const RoutingSnapshot> routes) {
  std::lock_guard lock(mu_);
  for (const Slot& slot : slots_) {
    boost::asio::post(*slot.io, [h = slot.handler, routes] { h->Swap(routes); });
  }
}

Status Cores::PublishAndWait(std::shared_ptr<const RoutingSnapshot> routes,
                             std::chrono::milliseconds timeout) {
  return RunOnAll([routes](int, CoreHandler& h) { h.Swap(routes); }, timeout);
}

void Cores::RunOn(int index, std::function<void(CoreHandler&)> job) {
  std::lock_guard lock(mu_);
  BLAZE_CHECK(index >= 0 && static_cast<std::size_t>(index) < slots_.size());
  const Slot& slot = slots_[index];
  boost::asio::post(*slot.io, [h = slot.handler, job = std::move(job)] { job(*h); });
}

Status Cores::RunOnAll(std::function<void(int index, CoreHandler&)> job,
                       std::chrono::milliseconds timeout) {
  // Shared with the posted jobs, which may outlive a wait that timed out.
  struct Pending {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t remaining = 0;
  };
  auto pending = std::make_shared<Pending>();
  {
    std::lock_guard lock(mu_);
    pending->remaining = slots_.size();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      boost::asio::post(*slots_[i].io, [pending, job, i, h = slots_[i].handler] {
        job(static_cast<int>(i), *h);
        std::lock_guard done(pending->mu);
        if (--pending->remaining == 0) pending->cv.notify_all();
      });
    }
  }
  std::unique_lock lock(pending->mu);
  if (!pending->cv.wait_for(lock, timeout, [&] { return pending->remaining == 0; })) {
    return Fail(DeadlineExceeded(std::to_string(pending->remaining) +
                                 " core(s) did not take the job within " +
                                 std::to_string(timeout.count()) + " ms"));
  }
  return Ok();
}

}  // namespace blaze::node
