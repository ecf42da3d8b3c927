#include "blaze/runtime/engine/watchdog.h"

#include <jsapi.h>
#include <js/Interrupt.h>

#include <algorithm>

namespace blaze::engine {
namespace {
std::int64_t ReadClockNs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

CpuWatchdog::CpuWatchdog(JSContext* cx) : cx_(cx) {
  pthread_getcpuclockid(pthread_self(), &clock_);
  thread_ = std::thread([this] { Loop(); });
}

CpuWatchdog::~CpuWatchdog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CpuWatchdog::Arm(std::chrono::nanoseconds budget) {
  Arm(budget, std::chrono::nanoseconds(ReadClockNs(clock_)));
}

void CpuWatchdog::Arm(std::chrono::nanoseconds budget, std::chrono::nanoseconds thread_cpu_now) {
  expired_.store(false, std::memory_order_relaxed);
  start_ns_.store(thread_cpu_now.count());
  budget_ns_.store(std::max<std::int64_t>(budget.count(), 0));
  generation_.fetch_add(1);
  armed_.store(true);
  if (idle_.load() || thread_cpu_now.count() + budget.count() < sleeping_until_ns_.load()) {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
}

void CpuWatchdog::Disarm() { armed_.store(false); }

void CpuWatchdog::Loop() {
  std::unique_lock lock(mu_);
  std::uint64_t fired_generation = 0;
  while (!stop_) {
    if (!armed_.load()) {
      idle_.store(true);
      cv_.wait(lock, [&] { return stop_ || armed_.load(); });
      idle_.store(false);
      continue;
    }
    std::uint64_t generation = generation_.load();
    std::int64_t left = start_ns_.load() + budget_ns_.load() - ReadClockNs(clock_);
    if (generation == fired_generation) {
      left = 1'000'000;  // already fired for this slice; wait for the next Arm
    } else if (left <= 0 && armed_.load() && generation == generation_.load()) {
      expired_.store(true, std::memory_order_release);
      JS_RequestInterruptCallback(cx_);
      fired_generation = generation;
      continue;
    }
    // CPU time advances at most as fast as wall time: sleeping `left` never overshoots. A new
    // Arm with an earlier deadline wakes it (sleeping_until_ns_).
    auto wait = std::chrono::nanoseconds(std::max<std::int64_t>(left, 200'000));
    sleeping_until_ns_.store(generation == fired_generation ? INT64_MAX
                                                            : start_ns_.load() + budget_ns_.load());
    cv_.wait_for(lock, wait, [&] { return stop_ || generation_.load() != generation; });
    sleeping_until_ns_.store(INT64_MAX);
  }
}

}  // namespace blaze::engine
