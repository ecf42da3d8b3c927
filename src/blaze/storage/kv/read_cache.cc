#include "blaze/storage/kv/read_cache.h"

namespace blaze::kv {
namespace {

// Per-entry bookkeeping (list node, map node, strings' own headers), roughly.
constexpr std::size_t kEntryOverhead = 160;

std::size_t ChargeOf(const std::string& id, const CachedRead& read) {
  return kEntryOverhead + id.size() + read.value.size() +
         (read.metadata ? read.metadata->size() : 0);
}

}  // namespace

const std::string& ReadCache::IdOf(std::string_view ns, std::string_view key) {
  scratch_.assign(ns);
  scratch_ += '/';
  scratch_.append(key);
  return scratch_;
}

const CachedRead* ReadCache::Find(std::string_view ns, std::string_view key) {
  auto it = index_.find(IdOf(ns, key));
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->read;
}

void ReadCache::Insert(std::string_view ns, std::string_view key, CachedRead read) {
  Erase(ns, key);
  std::string id = IdOf(ns, key);
  std::size_t charge = ChargeOf(id, read);
  if (charge > capacity_) return;
  lru_.push_front(Slot{id, std::move(read), charge});
  index_.emplace(std::move(id), lru_.begin());
  bytes_ += charge;
  while (bytes_ > capacity_ && !lru_.empty()) EraseSlot(std::prev(lru_.end()));
}

void ReadCache::Erase(std::string_view ns, std::string_view key) {
  auto it = index_.find(IdOf(ns, key));
  if (it != index_.end()) EraseSlot(it->second);
}

void ReadCache::EraseSlot(std::list<Slot>::iterator it) {
  bytes_ -= it->charge;
  index_.erase(it->id);
  lru_.erase(it);
}

}  // namespace blaze::kv
