#include "blaze/cli/output.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace blaze::cli {
namespace {

// Width in terminal columns, counting each code point as one.
std::size_t DisplayWidth(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Rule(const std::vector<std::size_t>& widths, const char* left, const char* mid,
                 const char* right) {
  std::string line = left;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    for (std::size_t k = 0; k < widths[i] + 2; ++k) line += "─";
    line += i + 1 < widths.size() ? mid : right;
  }
  return line;
}

std::string Row(const std::vector<std::size_t>& widths, const std::vector<std::string>& cells) {
  std::string line = "│";
  for (std::size_t i = 0; i < widths.size(); ++i) {
    std::string cell = i < cells.size() ? cells[i] : "";
    for (char& c : cell) {
      if (c == '\n') c = ' ';
    }
    line += " " + cell + std::string(widths[i] - DisplayWidth(cell), ' ') + " │";
  }
  return line;
}

}  // namespace

void PrintTable(std::ostream& out, const Table& table) {
  std::vector<std::size_t> widths;
  for (const auto& h : table.header) widths.push_back(DisplayWidth(h));
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  out << Rule(widths, "┌", "┬", "┐") << "\n" << Row(widths, table.header) << "\n";
  for (const auto& row : table.rows) {
    out << Rule(widths, "├", "┼", "┤") << "\n" << Row(widths, row) << "\n";
  }
  out << Rule(widths, "└", "┴", "┘") << "\n";
}

std::string CellText(const sqlite::Value& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, sqlite::Null>) {
          return "null";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return Json(v).dump();
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else {
          std::string out = "[";
          for (std::size_t i = 0; i < v.bytes.size(); ++i) {
            if (i) out += ", ";
            out += std::to_string(v.bytes[i]);
          }
          return out + "]";
        }
      },
      value);
}

Json ToJson(const sqlite::Value& value) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, sqlite::Null>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, sqlite::Blob>) {
          return Json(v.bytes);
        } else {
          return Json(v);
        }
      },
      value);
}

void PrintJson(std::ostream& out, const Json& json) {
  out << json.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

void PrintError(std::string_view message) {
  std::cout.flush();
  std::cerr << "✘ [ERROR] " << message << "\n";
}

void PrintJsonError(const Error& error) {
  PrintJson(std::cout, Json{{"error", {{"text", error.message()}, {"code", InfoFor(error.code()).name}}}});
}

std::string HumanBytes(std::int64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

bool Confirm(std::string_view question, AssumeYes assume_yes) {
  if (assume_yes == AssumeYes::kYes || !::isatty(STDIN_FILENO)) return true;
  std::cout << "? " << question << " (y/N) " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace blaze::cli
