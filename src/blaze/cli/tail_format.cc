#include "blaze/cli/tail_format.h"

#include <algorithm>
#include <cctype>

namespace blaze::cli {
namespace {

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

int Status(const nlohmann::json& event) {
  auto r = event.find("response");
  if (r == event.end() || !r->is_object()) return 0;
  auto s = r->find("status");
  return (s != r->end() && s->is_number_integer()) ? s->get<int>() : 0;
}

bool IsOk(const nlohmann::json& event) {
  int status = Status(event);
  return Text(event, "outcome") == "ok" && status >= 200 && status < 400;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const nlohmann::json& Field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// wrangler's outcome words: Ok, Exception Thrown, Exceeded CPU Limit...
std::string OutcomeWord(const nlohmann::json& event) {
  std::string outcome = Text(event, "outcome");
  if (outcome == "ok") return "Ok";
  if (outcome == "exception") return "Exception Thrown";
  if (outcome == "exceededCpu") return "Exceeded CPU Limit";
  if (outcome == "exceededMemory") return "Exceeded Memory Limit";
  if (outcome == "canceled") return "Canceled";
  return outcome.empty() ? "Unknown" : outcome;
}

}  // namespace

bool TailMatches(const nlohmann::json& event, const TailFilter& filter) {
  if (filter.status) {
    bool ok = IsOk(event);
    if ((*filter.status == "ok") != ok) return false;
  }
  const nlohmann::json& request = Field(event, "request");
  if (!filter.methods.empty()) {
    std::string method = request.is_object() ? Upper(Text(request, "method")) : "";
    bool any = std::any_of(filter.methods.begin(), filter.methods.end(),
                           [&](const std::string& m) { return Upper(m) == method; });
    if (!any) return false;
  }
  if (filter.search) {
    if (request.is_object() && Text(request, "url").find(*filter.search) != std::string::npos) {
      return true;
    }
    for (const auto& log : Field(event, "logs")) {
      if (log.is_object() && Text(log, "message").find(*filter.search) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
  return true;
}

std::string FormatTailEvent(const nlohmann::json& event, TailFormat format) {
  if (format == TailFormat::kJson) return event.dump() + "\n";
  const nlohmann::json& request = Field(event, "request");
  std::string out = (request.is_object() ? Text(request, "method") + " " + Text(request, "url")
                                         : std::string("(no request)")) +
                    " - " + OutcomeWord(event);
  if (int status = Status(event); status != 0) out += " (" + std::to_string(status) + ")";
  out += " @ " + Text(event, "timestamp") + "\n";
  for (const auto& log : Field(event, "logs")) {
    if (!log.is_object()) continue;
    out += "  (" + Text(log, "level") + ") " + Text(log, "message") + "\n";
  }
  for (const auto& e : Field(event, "exceptions")) {
    out += "  \u2718 " + (e.is_string() ? e.get<std::string>() : e.dump()) + "\n";
  }
  return out;
}

}  // namespace blaze::cli
