// An Invocation's exception text ("file:line:col: Error: msg\nframe@file:line:col\n...") as the
// JSON object wrangler shows for it: {name, message, stack}. Used for a service binding's error
// answer and for `blaze tail`'s exceptions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace blaze::node {

nlohmann::json ExceptionJson(const std::string& text);

}  // namespace blaze::node
