// Identifiers and names: random UUIDs for resources (as Cloudflare gives them) and the rule for
// user-chosen resource names, which become parts of file paths and so must never escape a folder.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze {

// Randomness seam. The real one seeds from std::random_device; tests seed it fixed.
class Random {
 public:
  Random();                            // seeded from the OS
  explicit Random(std::uint64_t seed);  // deterministic
  std::uint64_t Next();

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

// A version-4 UUID in its canonical lowercase 8-4-4-4-12 form.
std::string NewUuid(Random& random);
bool IsUuid(std::string_view text);

// Resource names (databases, buckets, namespaces, workers): 1-64 characters from [A-Za-z0-9_-],
// starting with a letter or digit, and not shaped like a UUID (commands accept a name or an id
// in the same place). Rejects "/", "..", spaces and anything else with
// InvalidArgument naming `what` ("database name").
Status ValidateName(std::string_view name, std::string_view what);

}  // namespace blaze
