// The KV binding's host side (`env.KV`; the JS class is runtime/webapi/js/kv.js), over one
// namespace of a KvService.
//
// Ops (JSON args → JSON reply; values travel as binary buffers; metadata as JSON *text*, so user
// data never meets the {"$buffer": i} wire convention):
//   get     {key, cacheTtl?}         → {value: {$buffer: 0} | null, metadata: text | null,
//                                       expiration: n | null}
//   getBulk {keys: [...], cacheTtl?} → {values: [{$buffer: i} | null, ...], metadata: [text |
//   null]} put     {key, value: {$buffer: 0}, expiration?, expirationTtl?, metadata?: text} → null
//   delete  {key}                    → null
//   list    {prefix?, limit?, cursor?} → {keys: [{name, expiration?, metadata?: text}],
//                                         list_complete, cursor?}
// Errors are KvService's (kv_limits.h: "KV PUT failed: 413 ..."), which kv.js throws as Error.
//
// Threads: any core may call; KvService gives each core its own connection and read cache.
// Calls run inline on the calling core (a KV operation is one indexed SQLite statement).
#pragma once

#include <memory>
#include <string>

#include "blaze/runtime/engine/binding.h"
#include "blaze/storage/kv/kv_service.h"

namespace blaze::bindings {

std::shared_ptr<engine::BindingService> NewKvBinding(std::shared_ptr<kv::KvService> kv,
                                                     std::string namespace_id);

}  // namespace blaze::bindings
