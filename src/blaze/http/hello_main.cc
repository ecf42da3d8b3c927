// blaze_http_hello [port] [threads]: serves "hello world" on 127.0.0.1:<port> (default 8787)
// with <threads> cores (default: one per hardware thread) until SIGINT/SIGTERM. The baseline
// for `wrk -t2 -c50 -d5s http://127.0.0.1:<port>/`: the server alone, no runtime.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "blaze/base/log.h"
#include "blaze/http/server.h"

namespace {

class HelloHandler final : public blaze::http::Handler {
 public:
  void Handle(blaze::http::HttpRequest, blaze::http::Respond respond) override {
    blaze::http::HttpResponse response;
    response.headers.push_back({"content-type", "text/plain"});
    response.body = blaze::http::Body("hello world");
    respond(std::move(response));
  }
};

}  // namespace

int main(int argc, char** argv) {
  blaze::log::SetLevel(blaze::log::Level::kInfo);
  blaze::http::ServerOptions options;
  options.port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 8787);
  options.threads = argc > 2 ? std::atoi(argv[2]) : 0;
  auto server = blaze::http::Server::Start(
      options,
      [](blaze::http::CoreContext&) -> blaze::Result<std::unique_ptr<blaze::http::Handler>> {
        return std::make_unique<HelloHandler>();
      });
  if (!server) {
    std::fprintf(stderr, "%s\n", server.error().ToString().c_str());
    return server.error().exit_code();
  }
  std::printf("listening on http://127.0.0.1:%u with %d cores\n", (*server)->port(),
              (*server)->core_count());
  std::fflush(stdout);
  (*server)->StopOnSignals();
  (*server)->Wait();
  return 0;
}
