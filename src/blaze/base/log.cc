#include "blaze/base/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace blaze::log {
namespace {

std::atomic<Level> g_level{Level::kWarn};

spdlog::logger& Logger() {
  // Built on first use; spdlog's stderr sink is thread-safe (the _mt variant).
  static auto logger = [] {
    auto l = std::make_shared<spdlog::logger>(
        "blaze", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    l->set_level(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t') return true;
  }
  return false;
}

void AppendQuoted(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}

}  // namespace

void SetLevel(Level level) { g_level.store(level); }
Level GetLevel() { return g_level.load(); }

bool ParseLevel(std::string_view text, Level* out) {
  if (text == "debug") *out = Level::kDebug;
  else if (text == "info") *out = Level::kInfo;
  else if (text == "warn") *out = Level::kWarn;
  else if (text == "error") *out = Level::kError;
  else if (text == "off") *out = Level::kOff;
  else return false;
  return true;
}

std::string Format(std::string_view event, Fields fields) {
  std::string out(event);
  for (const Field& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    if (NeedsQuotes(f.value)) AppendQuoted(out, f.value);
    else out += f.value;
  }
  return out;
}

void Write(Level level, std::string_view event, Fields fields) {
  if (level < g_level.load() || level == Level::kOff) return;
  std::string line = Format(event, fields);
  switch (level) {
    case Level::kDebug: Logger().debug(line); break;
    case Level::kInfo: Logger().info(line); break;
    case Level::kWarn: Logger().warn(line); break;
    default: Logger().error(line); break;
  }
}

}  // namespace blaze::log

namespace blaze::internal {
[[noreturn]] void CheckFailed(const char* cond, const char* file, int line) {
  std::fprintf(stderr, "BLAZE_CHECK failed: %s at %s:%d\n", cond, file, line);
  std::abort();
}
}  // namespace blaze::internal
