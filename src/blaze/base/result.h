// Result<T>: the return type of every fallible call (std::expected<T, Error>).
// Absence is not failure: a lookup that may find nothing returns Result<std::optional<T>>.
//
//   Result<int> Parse(std::string_view s);
//   BLAZE_TRY(int n, Parse(s));         // declares n, or returns the error to the caller
//   BLAZE_TRY_VOID(db.Exec("VACUUM"));  // for Result<void>
#pragma once

#include <expected>
#include <utility>

#include "blaze/base/error.h"

namespace blaze {

template <typename T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

inline Status Ok() { return {}; }

// Lets `return NotFound("...")` work in a function returning Result<T>.
inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace blaze

#define BLAZE_CONCAT_INNER(a, b) a##b
#define BLAZE_CONCAT(a, b) BLAZE_CONCAT_INNER(a, b)

#define BLAZE_TRY_IMPL(tmp, decl, expr)                              \
  auto tmp = (expr);                                                 \
  if (!tmp.has_value()) return ::std::unexpected(std::move(tmp).error()); \
  decl = std::move(tmp).value()

#define BLAZE_TRY(decl, expr) BLAZE_TRY_IMPL(BLAZE_CONCAT(blaze_try_, __LINE__), decl, expr)

#define BLAZE_TRY_VOID(expr)                                                        \
  do {                                                                              \
    auto blaze_try_void_ = (expr);                                                  \
    if (!blaze_try_void_.has_value())                                               \
      return ::std::unexpected(std::move(blaze_try_void_).error());                 \
  } while (0)

// BLAZE_TRY_VOID works on any Result<T>: it checks for an error and drops the value.
// Bugs are not errors: BLAZE_CHECK aborts with the failed condition. Never use it on user input.
#define BLAZE_CHECK(cond)                                                       \
  do {                                                                          \
    if (!(cond)) ::blaze::internal::CheckFailed(#cond, __FILE__, __LINE__);     \
  } while (0)

namespace blaze::internal {
[[noreturn]] void CheckFailed(const char* cond, const char* file, int line);
}  // namespace blaze::internal
