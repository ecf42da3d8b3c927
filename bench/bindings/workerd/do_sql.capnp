# workerd config for bench/bindings' DO-SQL peer: do_sql.js, a front worker forwarding to one
# Durable Object whose ctx.storage.sql holds the games table. run.sh serves it with
#   workerd serve do_sql.capnp --socket-addr http=127.0.0.1:P --directory-path do-storage=DIR
# so the objects' SQLite files live on disk (DIR, in the bench's temporary folder), as Blaze's
# D1 database does.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .doWorker),
    (name = "do-storage", disk = (path = "/tmp/blaze-bench-do-storage", writable = true)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const doWorker :Workerd.Worker = (
  modules = [ (name = "do_sql.js", esModule = embed "do_sql.js") ],
  compatibilityDate = "2025-01-01",
  bindings = [ (name = "GAMES", durableObjectNamespace = "Games") ],
  durableObjectNamespaces = [
    (className = "Games", uniqueKey = "blaze-bench-games", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "do-storage"),
);
