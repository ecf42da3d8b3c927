// An Analytics Engine dataset binding's host side (`env.VITALS`; the JS class is
// runtime/webapi/js/analytics.js, which converts the event as workerd does).
//
// Ops:
//   write {indexes, blobs, doubles} → null
// indexes and blobs: arrays of strings, {$buffer: i} (bytes) or null; doubles: numbers, null
// (0) or the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
// Errors: InvalidArgument with workerd's "writeDataPoint(): ..." messages for the limits (the
// JS side reports them as an uncaught TypeError, as workerd does: writeDataPoint itself returns
// before the point is checked), and the storage's errors.
//
// Threads: any core may call; AnalyticsService group-commits concurrent writes. Answers inline.
#pragma once

#include <memory>
#include <string>

#include "blaze/runtime/engine/binding.h"
#include "blaze/storage/analytics/analytics_service.h"

namespace blaze::bindings {

std::shared_ptr<engine::BindingService> NewAnalyticsBinding(
    std::shared_ptr<analytics::AnalyticsService> service, std::string dataset);

}  // namespace blaze::bindings
