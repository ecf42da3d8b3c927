// RunChild: runs a program to completion with its stdin fed from a string and its stdout and
// stderr collected, bounded in time and output. Blocks the calling thread (the admin API runs
// it on its worker pool, never on the event loop).
//
// The child: posix_spawn (no fork of a large parent), in its own process group, with `cwd` as
// its working directory, every inherited descriptor but 0-2 closed, default signal
// dispositions and an empty signal mask, and exactly `env` as its environment.
//
// Errors: Internal when the program cannot be started; DeadlineExceeded after `timeout`,
// ResourceExhausted when stdout + stderr pass `max_output_bytes`, Unavailable when
// `cancelled()` turns true — in those three cases the child's process group is killed
// (SIGKILL) and reaped before returning.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::admin {

struct ChildOptions {
  std::string program;            // made absolute before the child changes directory
  std::vector<std::string> argv;  // argv[0] included
  std::string cwd;
  std::vector<std::string> env;  // "NAME=value"
  std::string stdin_data;
  std::chrono::milliseconds timeout{600'000};
  std::size_t max_output_bytes = 256u << 20;
  std::function<bool()> cancelled;  // polled about every 100 ms; may be empty
};

struct ChildResult {
  int exit_code = 0;  // the exit status, or 128 + the signal that ended the child
  std::string out;
  std::string err;
};

Result<ChildResult> RunChild(const ChildOptions& options);

// This process's environment without the variables whose names start with `drop_prefix`.
std::vector<std::string> EnvironmentWithout(std::string_view drop_prefix);

}  // namespace blaze::admin
