// FaultyVfs: a SQLite VFS shim that forwards to the default VFS and, once armed, fails writes
// to files whose path contains a filter after a byte budget is spent — SQLite's own way of
// testing that an I/O error or a full disk leaves the old state intact (STYLE.md, "storage").
//
// Test-only by purpose but compiled into the library, so tests can hand its name to
// OpenOptions::vfs. The VFS is process-global (SQLite registers VFSes globally); arm it, run the
// operation, Heal() it. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace blaze::sqlite {

class FaultyVfs {
 public:
  static constexpr const char* kName = "blaze-faulty";

  enum class Fault { kIoError, kDiskFull };

  // Registers the VFS (idempotent). Returns its name for OpenOptions::vfs.
  static const char* Register();
  // After `bytes` more bytes have been written to matching files, every write fails.
  static void FailWritesAfter(std::uint64_t bytes, Fault fault, std::string path_filter = "");
  static void Heal();
  static std::uint64_t faults_injected();
};

}  // namespace blaze::sqlite
