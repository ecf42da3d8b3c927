// The R2 binding's host side (`env.BUCKET`; the JS classes are runtime/webapi/js/r2.js).
//
// Ops (JSON args → JSON reply; object bytes travel as buffers both ways):
//   head   {key}                                         → null | {object, range}
//   get    {key, onlyIf?, range?|rangeHeader?}          → null | {object, range, body?}
//          body ({$buffer: 0}) is absent when onlyIf did not hold
//   put    {key, body, httpMetadata?, customMetadata?, onlyIf?, md5|sha1|...?, storageClass?}
//                                                        → null (onlyIf failed) | {object}
//   delete {keys: [...]}                                 → null
//   list   {prefix?, delimiter?, cursor?, startAfter?, limit?, include?}
//                                                        → {objects, truncated, cursor?,
//                                                           delimitedPrefixes}
// object: storage/r2's ObjectToJson (key, version, size, etag, uploaded ms, httpMetadata,
// customMetadata as [k, v] pairs, checksums as hex, storageClass). onlyIf: {etagMatches,
// etagDoesNotMatch: [{type: strong|weak|wildcard, value}], uploadedBefore, uploadedAfter (ms),
// secondsGranularity}. Errors are storage/r2's (Cloudflare's texts and codes); r2.js prefixes
// the op ("put: ...").
//
// Threads: any core may call; the Bucket is shared and thread-safe. Calls run inline on the
// calling core (as the D1 binding's do), between the worker's slices.
#pragma once

#include <memory>
#include <string>

#include "blaze/runtime/engine/binding.h"
#include "blaze/storage/r2/r2_service.h"

namespace blaze::bindings {

// The binding of `bucket` (opened, and created if missing, on first call).
std::shared_ptr<engine::BindingService> NewR2Binding(std::shared_ptr<r2::R2Service> r2,
                                                     std::string bucket);

}  // namespace blaze::bindings
