// /api/v1/exec: one `blaze d1|kv|r2 ...` verb run on the server's data directory as a child
// process (`<blaze_binary> --data-dir <data_dir> <argv...>`), in a private temporary directory
// holding the files the client attached; outputs are read back and the directory removed.
//
// What the API decides before running anything (ClassifyExec):
//  - argv[0] is d1, kv or r2; global flags (--data-dir, --url, -c/--config, also as --x=v) are
//    refused; --remote is dropped (the verb runs where the data is).
//  - the scope: `read` for verbs that only read (list, info, get, export, `r2 object versions`,
//    `kv key list`, `d1 backup list`, `d1 migrations list`, `d1 backup download`), `deploy`
//    for every other one — including argv that is not a known verb path (it can only fail).
//  - the audit target of a write: the verb path and the resource right after it ("d1 execute
//    DB"), never flag values (SQL text, values) nor file contents.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/control/token_store.h"

namespace blaze::admin {

struct ExecRequest {
  std::vector<std::string> argv;  // --remote already dropped
  std::string stdin_data;
  std::map<std::string, std::string> files;  // path as given in argv -> bytes
  std::vector<std::string> outputs;          // paths as given in argv
};

struct ExecVerb {
  std::string path;  // "d1 execute", "r2 object get"
  control::Scope scope = control::Scope::kDeploy;
  std::string target;  // "d1 execute DB"
};

// {"argv", "stdin"?, "files"?, "outputs"?}: base64 decoded, every file and output named by an
// argv element (exactly, or as the value of "--flag=path").
Result<ExecRequest> ParseExecRequest(const nlohmann::json& body);

// InvalidArgument for an empty argv, a verb outside d1/kv/r2, or a global flag.
Result<ExecVerb> ClassifyExec(const std::vector<std::string>& argv);

struct ExecSettings {
  std::string blaze_binary;
  std::string data_dir;
  std::chrono::milliseconds timeout{600'000};
  std::size_t max_output_bytes = 256u << 20;  // stdout + stderr + output files
  std::function<bool()> cancelled;
};

// Runs the verb (blocking). Answer: {"exit_code", "stdout": base64, "stderr": text,
// "files": {path as given: base64}} — a verb that fails answers its exit code, not an error;
// errors are for what kept it from running or finishing (timeout, output limit, stop).
Result<nlohmann::json> RunExec(const ExecRequest& request, const ExecSettings& settings);

}  // namespace blaze::admin
