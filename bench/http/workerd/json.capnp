# workerd config for bench/http's json scenario: the ES module worker from ../workers/json, served
# on 127.0.0.1. run.sh overrides the port: `workerd serve json.capnp --socket-addr http=127.0.0.1:P`.
# The compatibility date matches workers/json/wrangler.toml.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .jsonWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const jsonWorker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "../workers/json/index.js") ],
  compatibilityDate = "2026-11-01",
);
