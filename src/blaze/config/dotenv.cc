#include "blaze/config/dotenv.h"

#include <algorithm>
#include <cctype>

namespace blaze::config {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool ValidKey(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

}  // namespace

Result<DotenvEntries> ParseDotenv(std::string_view text, const std::string& path) {
  DotenvEntries out;
  std::size_t pos = 0;
  int line_no = 0;
  auto fail = [&](int line, const std::string& what) {
    return Fail(InvalidArgument(path + ":" + std::to_string(line) + ": " + what));
  };
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = Trim(text.substr(pos, eol - pos));
    int start_line = ++line_no;
    std::size_t next = eol + 1;
    if (line.empty() || line[0] == '#') {
      pos = next;
      continue;
    }
    if (line.starts_with("export ")) line = Trim(line.substr(7));
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail(start_line, "expected KEY=value");
    std::string_view key = Trim(line.substr(0, eq));
    if (!ValidKey(key)) return fail(start_line, "invalid variable name '" + std::string(key) + "'");
    std::string_view rest = Trim(line.substr(eq + 1));
    std::string value;
    if (!rest.empty() && (rest[0] == '"' || rest[0] == '\'')) {
      char quote = rest[0];
      // The value may continue over the following lines: scan the raw text from here.
      std::size_t i = static_cast<std::size_t>(rest.data() - text.data()) + 1;
      bool closed = false;
      for (; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') ++line_no;
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < text.size()) {
          char e = text[++i];
          value += e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
          continue;
        }
        value += c;
      }
      if (!closed) return fail(start_line, "unterminated quoted value for " + std::string(key));
      std::size_t after = text.find('\n', i);
      next = after == std::string_view::npos ? text.size() : after + 1;
    } else {
      if (std::size_t hash = rest.find(" #"); hash != std::string_view::npos) {
        rest = Trim(rest.substr(0, hash));
      }
      value = std::string(rest);
    }
    std::string name(key);
    std::erase_if(out, [&](const auto& e) { return e.first == name; });
    out.emplace_back(std::move(name), std::move(value));
    pos = next;
  }
  return out;
}

}  // namespace blaze::config
