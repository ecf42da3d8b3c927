#include "blaze/node/tail.h"

#include <nlohmann/json.hpp>

#include "blaze/node/exception_json.h"

namespace blaze::node {
namespace {

using nlohmann::json;

// Unsubscribes when destroyed; holds the channel so it outlives the hub's map entry.
class ChannelSubscription final : public admin::TailSubscription {
 public:
  ChannelSubscription(std::shared_ptr<TailChannel> channel, std::uint64_t id)
      : channel_(std::move(channel)), id_(id) {}
  ~ChannelSubscription() override { channel_->Unsubscribe(id_); }

 private:
  std::shared_ptr<TailChannel> channel_;
  std::uint64_t id_;
};

double Millis(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

}  // namespace

void TailChannel::Publish(const std::string& line) {
  std::lock_guard lock(mu_);
  for (auto& [id, sink] : sinks_) sink(line);
}

std::uint64_t TailChannel::Subscribe(admin::TailSink sink) {
  std::lock_guard lock(mu_);
  std::uint64_t id = next_id_++;
  sinks_.emplace(id, std::move(sink));
  subscribers_.fetch_add(1, std::memory_order_relaxed);
  return id;
}

void TailChannel::Unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mu_);
  if (sinks_.erase(id) > 0) subscribers_.fetch_sub(1, std::memory_order_relaxed);
}

std::shared_ptr<TailChannel> TailHub::Channel(const std::string& worker) {
  std::lock_guard lock(mu_);
  std::shared_ptr<TailChannel>& channel = channels_[worker];
  if (!channel) channel = std::make_shared<TailChannel>();
  return channel;
}

std::unique_ptr<admin::TailSubscription> TailHub::Subscribe(const std::string& worker,
                                                            admin::TailSink sink) {
  std::shared_ptr<TailChannel> channel = Channel(worker);
  std::uint64_t id = channel->Subscribe(std::move(sink));
  return std::make_unique<ChannelSubscription>(std::move(channel), id);
}

std::string TailLine(const TailEvent& event) {
  const engine::Invocation& inv = *event.invocation;
  json logs = json::array();
  for (const engine::LogEntry& entry : inv.logs) {
    logs.push_back({{"level", entry.level},
                    {"message", entry.message},
                    {"timestamp", FormatIso8601(entry.timestamp)}});
  }
  json exceptions = json::array();
  if (inv.outcome == engine::Outcome::kException && !inv.exception.empty()) {
    exceptions.push_back(ExceptionJson(inv.exception));
  }
  auto started =
      event.finished_at - std::chrono::duration_cast<Clock::WallTime::duration>(inv.wall_time);
  json line = {{"timestamp", FormatIso8601(started)},
               {"worker", event.worker},
               {"version_id", event.version_id},
               {"outcome", engine::OutcomeName(inv.outcome)},
               {"request", {{"method", event.method}, {"url", event.url}}},
               {"response", {{"status", event.status}}},
               {"logs", std::move(logs)},
               {"exceptions", std::move(exceptions)},
               {"cpu_ms", Millis(inv.cpu_time)},
               {"wall_ms", Millis(inv.wall_time)}};
  // A worker's log may hold any bytes: replace invalid UTF-8 rather than throw.
  return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace blaze::node
