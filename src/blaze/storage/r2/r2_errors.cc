#include "blaze/storage/r2/r2_errors.h"

namespace blaze::r2 {
namespace {

std::string WithCode(std::string_view message, int code) {
  return std::string(message) + " (" + std::to_string(code) + ")";
}

}  // namespace

Error InvalidObjectName() {
  return InvalidArgument(WithCode("The specified object name is not valid.", 10020));
}

Error InvalidMaxKeys() {
  return InvalidArgument(WithCode("MaxKeys params must be positive integer <= 1000.", 10022));
}

Error MetadataTooLarge() {
  return InvalidArgument(
      WithCode("Your metadata headers exceed the maximum allowed metadata size.", 10012));
}

Error InvalidRange() {
  return InvalidArgument(WithCode("The requested range is not satisfiable", 10039));
}

Error BadDigest(std::string_view algorithm, std::string_view provided, std::string_view actual) {
  std::string a(algorithm);
  return InvalidArgument(WithCode("The " + a + " checksum you specified did not match what we " +
                                      "received.\nYou provided a " + a +
                                      " checksum with value: " + std::string(provided) +
                                      "\nActual " + a + " was: " + std::string(actual),
                                  10037));
}

Error InvalidStorageClass(std::string_view storage_class) {
  return InvalidArgument("Unsupported storage class: '" + std::string(storage_class) +
                         "' (Standard or InfrequentAccess)");
}

Error BucketNotEmpty(std::string_view bucket) {
  return FailedPrecondition("The bucket '" + std::string(bucket) +
                            "' is not empty: delete its objects first (10008)");
}

Error NoSuchBucket(std::string_view bucket) {
  std::string b(bucket);
  return NotFound("The bucket '" + b + "' does not exist (`blaze r2 bucket list` shows the " +
                  "buckets; `blaze r2 bucket create " + b + "` makes it) (10006)");
}

Error InvalidBucketName(std::string_view bucket) {
  return InvalidArgument("The bucket name \"" + std::string(bucket) +
                         "\" is invalid. Bucket names must begin and end with an alphanumeric "
                         "character, only contain lowercase letters, numbers, and hyphens, and "
                         "be between 3 and 63 characters long.");
}

Error NoSuchVersion(std::string_view key, std::string_view version) {
  return NotFound("The object '" + std::string(key) + "' has no version '" + std::string(version) +
                  "' (`blaze r2 object versions` lists them)");
}

}  // namespace blaze::r2
