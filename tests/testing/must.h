// Must, MustOk and ErrorOf: unwrap a blaze::Result in a test, reporting a failure at the
// caller's line (not this header's). Test-only; shared by the fixtures beside the code.
#pragma once

#include <gtest/gtest.h>

#include <source_location>
#include <utility>

#include "blaze/base/result.h"

namespace blaze::testing {

// The value of a Result the test needs; a failure is reported at the caller's line, then the
// test stops (value() throws and GoogleTest reports the exception).
template <typename T>
T Must(Result<T> r, std::source_location loc = std::source_location::current()) {
  if (!r.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << r.error().ToString();
  return std::move(r).value();
}

inline void MustOk(Status s, std::source_location loc = std::source_location::current()) {
  if (!s.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << s.error().ToString();
}

// The error of a Result expected to fail (a success is reported at the caller's line).
template <typename T>
Error ErrorOf(const Result<T>& r, std::source_location loc = std::source_location::current()) {
  if (r.has_value()) {
    ADD_FAILURE_AT(loc.file_name(), loc.line()) << "expected an error, got a value";
    return Internal("no error");
  }
  return r.error();
}

}  // namespace blaze::testing
