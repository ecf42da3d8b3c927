// SyncBinding: the shape every storage binding shares (D1, KV, R2, cache, analytics). Their work
// is synchronous storage I/O on the calling core, so Call answers inline with Run's result, and
// the Engine calls it from inside the calling slice and settles the promise at once
// (AnswersInline, runtime/engine/binding.h). ParseArgs reads a call's JSON arguments, which must
// be an object.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "blaze/runtime/engine/binding.h"

namespace blaze::bindings {

class SyncBinding : public engine::BindingService {
 public:
  void Call(engine::BindingCall call, const engine::BindingContext&,
            engine::BindingDone done) final {
    done(Run(call));
  }
  bool AnswersInline() const final { return true; }

 protected:
  virtual Result<engine::BindingReply> Run(engine::BindingCall& call) = 0;
};

// `call.args` as a JSON object; InvalidArgument "<kind>: malformed arguments" otherwise.
template <typename Json = nlohmann::json>
Result<Json> ParseArgs(const engine::BindingCall& call, std::string_view kind) {
  Json args = Json::parse(call.args, nullptr, /*allow_exceptions=*/false);
  if (args.is_discarded() || !args.is_object()) {
    return Fail(InvalidArgument(std::string(kind) + ": malformed arguments"));
  }
  return args;
}

}  // namespace blaze::bindings
