# workerd config for bench/webapi's aesgcm worker (../workers/aesgcm), served on 127.0.0.1. run.sh
# overrides the port: `workerd serve aesgcm.capnp --socket-addr http=127.0.0.1:P`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .aesgcmWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const aesgcmWorker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "../workers/aesgcm/index.js") ],
  compatibilityDate = "2026-11-01",
);
