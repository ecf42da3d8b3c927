// The Cache API's host side: the platform service behind `caches` (the JS classes are
// runtime/webapi/js/cache.js). It has an empty binding name, so nothing appears on `env`:
// ResolveBindings adds it to every worker and cache.js keeps its handle.
//
// Ops (JSON args → JSON reply; bodies travel as buffers):
//   open   {name}                                  → null (validates the name)
//   match  {cache, url, headers: [[k, v], ...]}    → null | {status, headers, body: {$buffer}}
//   put    {cache, url, method, status, headers, authorization: bool, body: {$buffer}}
//                                                  → {stored: bool}
//   delete {cache, url}                            → bool
// `cache` is the cache's name ("" for caches.default); `headers` of match are the request's
// (conditionals and Range); `authorization` says whether the request carried Authorization.
// Errors: InvalidArgument with workerd's TypeError messages (cache.js throws a TypeError):
// "Cache name is too long.", "Cannot cache response to non-GET request.", 206 and Vary: *.
//
// Threads: any core may call; CacheService serializes the storage work. Answers inline.
#pragma once

#include <memory>

#include "blaze/runtime/engine/binding.h"
#include "blaze/storage/cache/cache_service.h"

namespace blaze::bindings {

std::shared_ptr<engine::BindingService> NewCacheBinding(std::shared_ptr<cache::CacheService> cache);

}  // namespace blaze::bindings
