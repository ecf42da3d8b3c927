// The one logging facade: structured "event key=value ..." lines on stderr (spdlog underneath).
// ERROR = someone must act; WARN = degraded but serving; INFO = lifecycle only, never per request.
// Never pass secrets, tokens or bodies as field values.
//
//   log::Info("d1.backup.created", {{"db", name}, {"bytes", size}});
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace blaze::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, std::uint64_t v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, double v) : key(k), value(std::to_string(v)) {}

  std::string_view key;
  std::string value;
};

using Fields = std::initializer_list<Field>;

// Messages below `level` are dropped. The process default is kWarn (the CLI stays quiet).
void SetLevel(Level level);
Level GetLevel();
// Parses "debug|info|warn|error|off"; false for anything else.
bool ParseLevel(std::string_view text, Level* out);

// Formats one line: `event key=value key2="value with spaces"`. Exposed for tests.
std::string Format(std::string_view event, Fields fields);

void Write(Level level, std::string_view event, Fields fields);

inline void Debug(std::string_view event, Fields fields = {}) { Write(Level::kDebug, event, fields); }
inline void Info(std::string_view event, Fields fields = {}) { Write(Level::kInfo, event, fields); }
inline void Warn(std::string_view event, Fields fields = {}) { Write(Level::kWarn, event, fields); }
inline void Error(std::string_view event, Fields fields = {}) { Write(Level::kError, event, fields); }

}  // namespace blaze::log
