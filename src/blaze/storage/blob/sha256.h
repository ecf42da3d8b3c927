// Sha256: incremental SHA-256 (OpenSSL EVP) with a lowercase hex digest.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace blaze::blob {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  std::string HexDigest();  // finishes the hash; call once

  static std::string Of(std::string_view data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blaze::blob
