// TempDir: a fresh folder per test under $TMPDIR, removed with everything in it when the test
// ends. Tests never share state through the file system.
#pragma once

#include <string>

namespace blaze::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace blaze::testing
