// blaze_admin_fake_cli: stands in for the blaze binary in the exec tests. It prints one JSON
// object on stdout — its arguments, working directory, standard input, the BLAZE_* variables it
// sees, how many arguments are paths under its working directory, and the content of the file
// after --file — and "fake stderr" on stderr. With
// `--output F` it writes "exported\n" to F; `--exit N` exits N; `--sleep S` sleeps S seconds
// first; `--spam N` writes N bytes more on stdout.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

extern char** environ;

int main(int argc, char** argv) {
  nlohmann::json out;
  out["argv"] = nlohmann::json::array();
  int exit_code = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    out["argv"].push_back(arg);
    std::string next = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--sleep") std::this_thread::sleep_for(std::chrono::seconds(std::atoi(next.c_str())));
    if (arg == "--exit") exit_code = std::atoi(next.c_str());
    if (arg == "--file") {
      std::ifstream in(next, std::ios::binary);
      out["file"] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    if (arg == "--output") std::ofstream(next, std::ios::binary) << "exported\n";
    if (arg == "--spam") std::cout << std::string(std::atoi(next.c_str()), 'x');
  }
  char cwd[4096];
  out["cwd"] = getcwd(cwd, sizeof cwd) ? cwd : "";
  // How many arguments are paths inside the working directory (the exec rewrote them there).
  int under = 0;
  for (const auto& a : out["argv"]) {
    if (a.get<std::string>().rfind(out["cwd"].get<std::string>() + "/", 0) == 0) ++under;
  }
  out["paths_under_cwd"] = under;
  out["stdin"] = std::string(std::istreambuf_iterator<char>(std::cin), {});
  out["blaze_env"] = nlohmann::json::array();
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind("BLAZE_", 0) == 0) out["blaze_env"].push_back(*e);
  }
  std::cout << out.dump() << std::endl;
  std::cerr << "fake stderr" << std::endl;
  return exit_code;
}
