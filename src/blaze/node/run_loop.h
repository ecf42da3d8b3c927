// The main thread of `blaze dev` and `blaze serve` once the servers run: wait for SIGINT or
// SIGTERM, calling `tick` every `interval` meanwhile (dev's file poll; may be empty).
#pragma once

#include <chrono>
#include <functional>

namespace blaze::node {

void RunUntilSignal(std::chrono::milliseconds interval, const std::function<void()>& tick);

}  // namespace blaze::node
