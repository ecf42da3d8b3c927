// AdminHandler: the http::Handler of one admin core. Each request: route (404/405) → health
// answers at once → authenticate the bearer token (401) → read the body when the endpoint has
// one (413 past the limit) → Dispatch (endpoints.h). While the server stops, 503.
#pragma once

#include <memory>

#include "blaze/admin/core_state.h"
#include "blaze/http/handler.h"

namespace blaze::admin {

class AdminHandler final : public http::Handler {
 public:
  explicit AdminHandler(std::shared_ptr<CoreState> core) : core_(std::move(core)) {}
  void Handle(http::HttpRequest request, http::Respond respond) override;

 private:
  std::shared_ptr<CoreState> core_;
};

}  // namespace blaze::admin
