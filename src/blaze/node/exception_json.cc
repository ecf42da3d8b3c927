#include "blaze/node/exception_json.h"

namespace blaze::node {

nlohmann::json ExceptionJson(const std::string& text) {
  std::string first = text.substr(0, text.find('\n'));
  std::string frames = first.size() < text.size() ? text.substr(first.size()) : "";
  // Drop the "file:line:col: " location in front of "Name: message".
  if (auto pos = first.find(": ");
      pos != std::string::npos && first.substr(0, pos).find(':') != std::string::npos) {
    first = first.substr(pos + 2);
  }
  std::string name = "Error", message = first;
  if (auto colon = first.find(": "); colon != std::string::npos && first.find(' ') == colon + 1) {
    name = first.substr(0, colon);
    message = first.substr(colon + 2);
  }
  return {{"name", name}, {"message", message}, {"stack", first + frames}};
}

}  // namespace blaze::node
