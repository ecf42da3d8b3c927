# workerd config for bench/http's hello scenario: the ES module worker from ../workers/hello, served
# on 127.0.0.1. run.sh overrides the port: `workerd serve hello.capnp --socket-addr http=127.0.0.1:P`.
# The compatibility date matches workers/hello/wrangler.toml.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .helloWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const helloWorker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "../workers/hello/index.js") ],
  compatibilityDate = "2026-11-01",
);
