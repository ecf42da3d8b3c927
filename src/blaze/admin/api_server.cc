#include "blaze/admin/api_server.h"

#include <boost/asio/post.hpp>
#include <filesystem>
#include <future>
#include <mutex>
#include <vector>

#include "blaze/admin/admin_handler.h"
#include "blaze/admin/api_context.h"
#include "blaze/admin/core_state.h"
#include "blaze/base/log.h"
#include "blaze/http/server.h"

namespace blaze::admin {

namespace asio = boost::asio;

struct ApiServer::Impl {
  std::unique_ptr<ApiContext> ctx;
  std::unique_ptr<http::Server> server;
  std::mutex mu;
  std::vector<std::pair<int, std::weak_ptr<CoreState>>> cores;  // by core index
  std::once_flag stop_once;
};

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ApiServer::~ApiServer() { Stop(); }

Result<std::unique_ptr<ApiServer>> ApiServer::Start(ApiOptions options) {
  return StartApiServer(std::move(options), ApiTuning{});
}

Result<std::unique_ptr<ApiServer>> StartApiServer(ApiOptions options, ApiTuning tuning) {
  BLAZE_CHECK(options.control != nullptr && options.runtime != nullptr);
  if (options.threads < 1) options.threads = 1;
  // Exec verbs run in their own temporary directories: a relative data directory would move.
  if (!options.data_dir.empty()) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(options.data_dir, ec);
    if (!ec) options.data_dir = absolute.lexically_normal().string();
  }
  if (tuning.pool_threads < 1) tuning.pool_threads = 1;
  if (tuning.exec_pool_threads < 1) tuning.exec_pool_threads = 1;
  auto impl = std::make_unique<ApiServer::Impl>();
  impl->ctx = std::make_unique<ApiContext>(options, tuning);

  http::ServerOptions server_options;
  server_options.address = options.ip;
  server_options.port = options.port;
  server_options.threads = options.threads;
  // The API enforces its own body limit (with its error shape); the server's is a backstop.
  server_options.limits.max_body_bytes = 2 * static_cast<std::uint64_t>(tuning.max_body_bytes);
  ApiServer::Impl* raw = impl.get();
  auto server = http::Server::Start(
      server_options, [raw](http::CoreContext& core) -> Result<std::unique_ptr<http::Handler>> {
        auto state = std::make_shared<CoreState>(*raw->ctx, core.io);
        {
          std::lock_guard lock(raw->mu);
          raw->cores.emplace_back(core.index, state);
        }
        return std::unique_ptr<http::Handler>(std::make_unique<AdminHandler>(std::move(state)));
      });
  if (!server) {
    impl->ctx->StopAndJoin();
    return Fail(server.error());
  }
  impl->server = std::move(*server);
  log::Info("admin.listening", {{"address", options.ip}, {"port", int{impl->server->port()}}});
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

std::uint16_t ApiServer::port() const { return impl_->server->port(); }

void ApiServer::Stop() {
  if (!impl_) return;
  std::call_once(impl_->stop_once, [this] {
    Impl& impl = *impl_;
    // 1. New requests answer 503; watches end now; exec children are killed; pool work
    //    finishes and posts its answers to the cores, which still run.
    impl.ctx->StopAndJoin();
    // 2. Tail streams end cleanly, before the drain would wait for them.
    std::vector<std::pair<int, std::weak_ptr<CoreState>>> cores;
    {
      std::lock_guard lock(impl.mu);
      cores = impl.cores;
    }
    std::vector<std::future<void>> ended;
    for (auto& [index, weak] : cores) {
      auto promise = std::make_shared<std::promise<void>>();
      ended.push_back(promise->get_future());
      asio::post(impl.server->io_context(index), [weak, promise] {
        if (auto core = weak.lock()) core->EndTails();
        promise->set_value();
      });
    }
    for (auto& f : ended) f.wait_for(std::chrono::seconds(5));
    // 3. Drain and join the HTTP cores.
    impl.server->Stop();
  });
}

}  // namespace blaze::admin
