#include "blaze/storage/analytics/data_point.h"

#include <cctype>

namespace blaze::analytics {
namespace {

Error Limit(const std::string& what) { return InvalidArgument("writeDataPoint(): " + what); }

}  // namespace

Status ValidateDataPoint(const DataPoint& point) {
  if (point.indexes.size() > kMaxIndexes) {
    return Fail(Limit("Maximum of " + std::to_string(kMaxIndexes) + " indexes supported."));
  }
  if (!point.indexes.empty() && point.indexes[0] && point.indexes[0]->size() > kMaxIndexBytes) {
    return Fail(Limit("Size of indexes[0] exceeds " + std::to_string(kMaxIndexBytes) + " bytes)."));
  }
  if (point.blobs.size() > kMaxBlobs) {
    return Fail(Limit("Maximum of " + std::to_string(kMaxBlobs) + " blobs supported."));
  }
  std::size_t total = 0;
  for (const auto& blob : point.blobs) total += blob ? blob->size() : 0;
  if (total > kMaxBlobBytesTotal) {
    return Fail(Limit("Cumulative size of blobs exceeds " + std::to_string(kMaxBlobBytesTotal) +
                      " bytes)."));
  }
  if (point.doubles.size() > kMaxDoubles) {
    return Fail(Limit("Maximum of " + std::to_string(kMaxDoubles) + " doubles supported."));
  }
  return Ok();
}

Status ValidateDatasetName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && !name.starts_with("sqlite_");
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  }
  if (ok) return Ok();
  return Fail(InvalidArgument("analytics dataset '" + std::string(name) +
                              "': a dataset name is 1-64 letters, digits, '_' or '-' (and does "
                              "not start with 'sqlite_')"));
}

}  // namespace blaze::analytics
