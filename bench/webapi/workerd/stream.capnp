# workerd config for bench/webapi's stream worker (../workers/stream), served on 127.0.0.1. run.sh
# overrides the port: `workerd serve stream.capnp --socket-addr http=127.0.0.1:P`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .streamWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const streamWorker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "../workers/stream/index.js") ],
  compatibilityDate = "2026-11-01",
);
