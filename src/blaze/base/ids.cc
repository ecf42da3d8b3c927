#include "blaze/base/ids.h"

#include <cctype>

namespace blaze {

Random::Random() : engine_(std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32)) {}
Random::Random(std::uint64_t seed) : engine_(seed) {}

std::uint64_t Random::Next() {
  std::lock_guard lock(mu_);
  return engine_();
}

std::string NewUuid(Random& random) {
  std::uint64_t hi = random.Next();
  std::uint64_t lo = random.Next();
  hi = (hi & ~std::uint64_t{0xF000}) | 0x4000;                 // version 4
  lo = (lo & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10xx
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

bool IsUuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? t[i] != '-' : !std::isxdigit(static_cast<unsigned char>(t[i]))) return false;
  }
  return true;
}

Status ValidateName(std::string_view name, std::string_view what) {
  auto bad = [&](std::string_view why) {
    return Fail(InvalidArgument(std::string("invalid ") + std::string(what) + " '" +
                                std::string(name) + "': " + std::string(why)));
  };
  if (name.empty()) return bad("must not be empty");
  if (name.size() > 64) return bad("must be at most 64 characters");
  // Commands take a name or an id in the same place, so a name must not read as an id.
  if (IsUuid(name)) return bad("must not have the form of an id (a UUID)");
  if (!std::isalnum(static_cast<unsigned char>(name[0])))
    return bad("must start with a letter or digit");
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return bad("only letters, digits, '-' and '_' are allowed");
  }
  return Ok();
}

}  // namespace blaze
