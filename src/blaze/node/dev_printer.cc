#include "blaze/node/dev_printer.h"

#include <chrono>
#include <cstdio>

namespace blaze::node {

void DevPrinter::Ready(const std::string& worker, const std::string& address, std::uint16_t port,
                       int cores) {
  std::lock_guard lock(mu_);
  out_ << "⎔ Starting local server for " << worker << " (" << cores << " cores)\n"
       << "⎔ Ready on http://" << address << ":" << port << std::endl;
}

void DevPrinter::Reloaded() {
  std::lock_guard lock(mu_);
  out_ << "⎔ Reloaded: the worker's files changed" << std::endl;
}

void DevPrinter::ReloadFailed(const Error& error) {
  std::lock_guard lock(mu_);
  out_ << "✘ [ERROR] reload failed, still serving the previous version: " << error.message()
       << std::endl;
}

void DevPrinter::Stopping() {
  std::lock_guard lock(mu_);
  out_ << "⎔ Shutting down local server..." << std::endl;
}

void DevPrinter::Flush() {
  std::lock_guard lock(mu_);
  out_.flush();
  last_flush_ = std::chrono::steady_clock::now();
}

void DevPrinter::OnRequest(const http::HttpRequest& request, const WorkerVersion&, int status,
                           const engine::Invocation& inv) {
  char timing[64];
  std::snprintf(timing, sizeof timing, "(%.1f ms, cpu %.2f ms)", inv.wall_time.count() / 1000.0,
                inv.cpu_time.count() / 1000.0);
  std::lock_guard lock(mu_);
  for (const auto& entry : inv.logs) out_ << entry.message << "\n";
  if (inv.outcome == engine::Outcome::kException) out_ << "✘ [ERROR] " << inv.exception << "\n";
  out_ << "[blaze:info] " << request.method << " " << request.target << " " << status << " "
       << timing;
  if (inv.outcome != engine::Outcome::kOk) out_ << " " << engine::OutcomeName(inv.outcome);
  out_ << " trace=" << request.trace_id.view() << '\n';
  // Under load a flush per line is a write(2) per request; flush at most every 100 ms instead
  // (a terminal is line-buffered anyway).
  auto now = std::chrono::steady_clock::now();
  if (now - last_flush_ >= std::chrono::milliseconds(100)) {
    out_.flush();
    last_flush_ = now;
  }
}

}  // namespace blaze::node
