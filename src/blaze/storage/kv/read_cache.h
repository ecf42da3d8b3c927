// ReadCache: one thread's cache of KV reads — values and misses — bounded by bytes, least
// recently used out first. Entries are tagged with their namespace's write generation and a
// freshness deadline; KvService decides whether a tagged entry may still be served.
//
// Threads: not thread-safe; KvService gives each core thread its own.
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "blaze/base/clock.h"

namespace blaze::kv {

struct CachedRead {
  bool found = false;
  std::string value;
  std::optional<std::int64_t> expiration;  // seconds since the epoch
  std::optional<std::string> metadata;     // JSON text
  std::uint64_t incarnation = 0;           // which life of the namespace (ids can be reused)
  std::uint64_t generation = 0;            // the namespace's write generation before the read
  Clock::MonoTime fresh_until{};           // read time + cacheTtl
};

class ReadCache {
 public:
  explicit ReadCache(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The entry for (namespace, key), now the most recently used; nullptr when absent.
  const CachedRead* Find(std::string_view ns, std::string_view key);
  // Adds or replaces an entry, then evicts from the cold end until under capacity. An entry
  // larger than the whole capacity is not kept.
  void Insert(std::string_view ns, std::string_view key, CachedRead read);
  void Erase(std::string_view ns, std::string_view key);

  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return index_.size(); }

 private:
  struct Slot {
    std::string id;  // "<namespace>/<key>" (namespace ids never contain '/')
    CachedRead read;
    std::size_t charge;
  };
  const std::string& IdOf(std::string_view ns, std::string_view key);
  void EraseSlot(std::list<Slot>::iterator it);

  std::size_t capacity_;
  std::size_t bytes_ = 0;
  std::list<Slot> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Slot>::iterator> index_;
  std::string scratch_;  // reused for lookups
};

}  // namespace blaze::kv
