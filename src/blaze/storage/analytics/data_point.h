// DataPoint: one Analytics Engine event as a worker writes it (`writeDataPoint({blobs, doubles,
// indexes})`), and the limits workerd enforces on it, with workerd's messages (observed on
// workerd 2026-04-26; wrangler dev itself does not check them — see README.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::analytics {

inline constexpr std::size_t kMaxIndexes = 1;
inline constexpr std::size_t kMaxIndexBytes = 96;
inline constexpr std::size_t kMaxBlobs = 20;
inline constexpr std::size_t kMaxDoubles = 20;
inline constexpr std::size_t kMaxBlobBytesTotal = 16000;  // all blobs together

struct DataPoint {
  std::vector<std::optional<std::string>> indexes;  // bytes; null = no index ("")
  std::vector<std::optional<std::string>> blobs;    // bytes; null = ""
  std::vector<double> doubles;                      // NaN is stored as NULL
};

// InvalidArgument with workerd's text, checked in its order (indexes, blobs, doubles):
//   "writeDataPoint(): Maximum of 1 indexes supported."
//   "writeDataPoint(): Size of indexes[0] exceeds 96 bytes)."
//   "writeDataPoint(): Maximum of 20 blobs supported."
//   "writeDataPoint(): Cumulative size of blobs exceeds 16000 bytes)."
//   "writeDataPoint(): Maximum of 20 doubles supported."
Status ValidateDataPoint(const DataPoint& point);

// A dataset is a table of `<data-dir>/analytics.sqlite`: 1-64 of A-Z a-z 0-9 _ -, not starting
// with "sqlite_" (SQLite's own).
Status ValidateDatasetName(std::string_view name);

}  // namespace blaze::analytics
