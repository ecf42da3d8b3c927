// CpuWatchdog: enforces a CPU-time budget on one JS thread. The core arms it before each slice
// of JS (a request start, a timer, an I/O completion) with the CPU the request has left, and
// disarms it after. A helper thread sleeps until the budget could be spent, reads the JS
// thread's CPU clock (pthread_getcpuclockid) and, once it is exceeded, sets expired() and calls
// JS_RequestInterruptCallback — the only JSAPI call made off the JS thread.
// Arm/Disarm are two relaxed-cost atomics on the hot path; the helper only needs a wake-up when
// it was idle or sleeps towards a later deadline than the new one. One per Engine; constructed
// on the Engine's thread.
#pragma once

#include <pthread.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

struct JSContext;

namespace blaze::engine {

class CpuWatchdog {
 public:
  explicit CpuWatchdog(JSContext* cx);  // watches the calling thread
  ~CpuWatchdog();
  CpuWatchdog(const CpuWatchdog&) = delete;
  CpuWatchdog& operator=(const CpuWatchdog&) = delete;

  void Arm(std::chrono::nanoseconds budget);
  // Same, with the watched thread's CPU time already read by the caller (ThreadCpuNow() on the
  // watched thread): reading that clock is a system call (~0.5-2 us in a VM), once per slice.
  void Arm(std::chrono::nanoseconds budget, std::chrono::nanoseconds thread_cpu_now);
  void Disarm();
  bool expired() const { return expired_.load(std::memory_order_acquire); }

 private:
  void Loop();
  std::int64_t TargetCpuNs() const;

  JSContext* cx_;
  clockid_t clock_{};
  std::atomic<std::uint64_t> generation_{0};  // bumped by every Arm
  std::atomic<std::int64_t> start_ns_{0};     // thread CPU at Arm
  std::atomic<std::int64_t> budget_ns_{0};
  std::atomic<bool> armed_{false};
  std::atomic<bool> idle_{true};
  // While the helper sleeps towards a deadline: that deadline (thread CPU ns). An Arm with an
  // earlier one wakes it, or a short budget after a long one would wait out the long sleep.
  std::atomic<std::int64_t> sleeping_until_ns_{INT64_MAX};
  std::atomic<bool> expired_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace blaze::engine
