# workerd config for bench/webapi's sha256 worker (../workers/sha256), served on 127.0.0.1. run.sh
# overrides the port: `workerd serve sha256.capnp --socket-addr http=127.0.0.1:P`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .sha256Worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const sha256Worker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "../workers/sha256/index.js") ],
  compatibilityDate = "2026-11-01",
);
