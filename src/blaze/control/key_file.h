// Private files in the data directory: master.key and admin.token. They are created once, mode
// 0600, and never overwritten; they are read only when their mode keeps group and others out.
//
// These call POSIX directly rather than through storage/fs's Env: exclusive creation with a
// mode, link(2) and stat(2) modes are outside the Env interface.
//
// Errors: AlreadyExists (creating over an existing file), NotFound (reading a missing one),
// PermissionDenied (unreadable, or readable by group/others — the message says how to fix it),
// and storage errors (Unavailable, ResourceExhausted) naming the path.
#pragma once

#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::control {

// Writes `contents` to "<path>.tmp-<pid>" (mode 0600), fsyncs it, links it to `path` — which
// fails if `path` exists, so a file is never replaced and never seen half written — removes the
// temporary name and fsyncs the folder.
Status CreatePrivateFile(const std::string& path, std::string_view contents);

// The contents of `path`; `what` names it in errors ("master key").
Result<std::string> ReadPrivateFile(const std::string& path, std::string_view what);

// The file's permission bits (st_mode & 07777), for tests and diagnostics.
Result<unsigned> FileMode(const std::string& path);

}  // namespace blaze::control
