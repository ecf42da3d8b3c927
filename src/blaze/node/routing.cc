#include "blaze/node/routing.h"

#include <algorithm>
#include <cmath>

namespace blaze::node {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
         c == '*';
}

bool IsTokenChar(char c) {
  return c > ' ' && c < 0x7f && c != ',' && c != ';' && c != '"' && c != '=';
}

// A Structured Fields Dictionary scanner (RFC 8941 §4.2.2), reading only what an override
// needs: member keys and string (or token) values. Parameters are skipped.
class DictionaryScanner {
 public:
  explicit DictionaryScanner(std::string_view text) : s_(text) {}

  // The next member as (key, value); value is nullopt for a member that is not a string or
  // token (a boolean, a number, an inner list, or malformed). False at the end.
  bool Next(std::string_view* key, std::optional<std::string>* value) {
    SkipSpace();
    if (pos_ >= s_.size()) return false;
    std::size_t start = pos_;
    while (pos_ < s_.size() && IsKeyChar(s_[pos_])) ++pos_;
    *key = s_.substr(start, pos_ - start);
    value->reset();
    if (pos_ < s_.size() && s_[pos_] == '=') {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '"') {
        *value = ReadString();
      } else {
        std::size_t t = pos_;
        while (pos_ < s_.size() && IsTokenChar(s_[pos_])) ++pos_;
        if (pos_ > t) *value = std::string(s_.substr(t, pos_ - t));
      }
    }
    SkipToNextMember();
    return true;
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }

  // At an opening quote; nullopt for an unterminated string.
  std::optional<std::string> ReadString() {
    std::string out;
    for (++pos_; pos_ < s_.size(); ++pos_) {
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\' && pos_ + 1 < s_.size()) c = s_[++pos_];
      out.push_back(c);
    }
    return std::nullopt;
  }

  // Past the parameters (and anything malformed) to just after the next top-level comma.
  void SkipToNextMember() {
    bool quoted = false;
    for (; pos_ < s_.size(); ++pos_) {
      char c = s_[pos_];
      if (quoted && c == '\\') {
        ++pos_;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        ++pos_;
        return;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

WorkerRoute SingleVersionRoute(std::shared_ptr<const WorkerVersion> version) {
  VersionShare share;
  share.version_id = version->version_id;
  share.counters = version->counters;
  share.version = std::move(version);
  return WorkerRoute{{std::move(share)}};
}

std::vector<std::uint32_t> CumulativeShares(const std::vector<double>& percentages) {
  std::vector<std::uint32_t> upto;
  double sum = 0;
  for (double p : percentages) {
    sum += p;
    double scaled = std::llround(sum * (kShareScale / 100.0));
    upto.push_back(static_cast<std::uint32_t>(std::clamp<double>(scaled, 0, kShareScale)));
  }
  if (!upto.empty()) upto.back() = kShareScale;  // 33.333 + 66.667: nobody falls off the end
  return upto;
}

std::optional<std::string> FindVersionOverride(std::string_view header, std::string_view worker) {
  DictionaryScanner scanner(header);
  std::string_view key;
  std::optional<std::string> value, found;
  while (scanner.Next(&key, &value)) {
    if (key == worker) found = value;  // a repeated key: the last one wins (RFC 8941)
  }
  return found;
}

const VersionShare& PickShare(const WorkerRoute& route, std::string_view worker,
                              std::string_view overrides, std::uint64_t random) {
  const std::vector<VersionShare>& shares = route.shares;
  if (shares.size() == 1) return shares[0];
  if (!overrides.empty()) {
    if (auto pinned = FindVersionOverride(overrides, worker)) {
      for (const VersionShare& s : shares) {
        if (s.version_id == *pinned) return s;
      }
    }
  }
  auto r = static_cast<std::uint32_t>(random % kShareScale);
  for (const VersionShare& s : shares) {
    if (r < s.upto) return s;
  }
  return shares.back();
}

}  // namespace blaze::node
