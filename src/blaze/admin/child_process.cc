#include "blaze/admin/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

extern char** environ;

namespace blaze::admin {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Every way out of the pump loop after the spawn goes through here, so no child is left behind.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      int status;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  // The exit code once the child ended, else -1 (not yet) — never blocks.
  int TryReap() {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r != pid_) return -1;
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
  }

 private:
  pid_t pid_;
};

}  // namespace

std::vector<std::string> EnvironmentWithout(std::string_view drop_prefix) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    if (!drop_prefix.empty() && entry.substr(0, drop_prefix.size()) == drop_prefix) continue;
    out.emplace_back(entry);
  }
  return out;
}

Result<ChildResult> RunChild(const ChildOptions& o) {
  if (o.cancelled && o.cancelled()) {
    return Fail(Unavailable("the server is stopping; the verb was not run"));
  }
  std::error_code ec;
  std::string program = std::filesystem::absolute(o.program, ec).string();
  if (ec) program = o.program;

  // stdin is a socket pair so that writes can say MSG_NOSIGNAL (a child that exits without
  // reading must not raise SIGPIPE in the server); stdout and stderr are pipes.
  int in_pair[2], out_pipe[2], err_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) {
    return Fail(Internal(Errno("socketpair")));
  }
  Fd in_child(in_pair[0]), in_parent(in_pair[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Fail(Internal(Errno("pipe")));
  Fd out_parent(out_pipe[0]), out_child(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Fail(Internal(Errno("pipe")));
  Fd err_parent(err_pipe[0]), err_child(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_child.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_child.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_child.get(), 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, o.cwd.c_str());

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> argv;
  for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Fail(Internal("cannot run " + program + ": " + std::strerror(rc)));
  }
  Child child(pid);
  in_child.Close();
  out_child.Close();
  err_child.Close();
  SetNonBlocking(in_parent.get());
  SetNonBlocking(out_parent.get());
  SetNonBlocking(err_parent.get());

  ChildResult result;
  std::size_t written = 0;
  if (o.stdin_data.empty()) in_parent.Close();
  const auto deadline = Clock::now() + o.timeout;
  char buffer[64 * 1024];
  int exit_code = -1;
  while (true) {
    if (o.cancelled && o.cancelled()) {
      return Fail(Unavailable("the server is stopping; the verb was killed"));
    }
    auto now = Clock::now();
    if (now >= deadline) {
      return Fail(DeadlineExceeded("the verb did not finish within " +
                                   std::to_string(o.timeout.count() / 1000) +
                                   " s and was killed"));
    }
    bool outputs_open = out_parent.get() >= 0 || err_parent.get() >= 0;
    if (!outputs_open) {
      // Both outputs are closed: wait for the exit (a verb that closed them may still run).
      exit_code = child.TryReap();
      if (exit_code >= 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    pollfd fds[3];
    int n = 0;
    int in_slot = -1, out_slot = -1, err_slot = -1;
    if (in_parent.get() >= 0) {
      in_slot = n;
      fds[n++] = {in_parent.get(), POLLOUT, 0};
    }
    if (out_parent.get() >= 0) {
      out_slot = n;
      fds[n++] = {out_parent.get(), POLLIN, 0};
    }
    if (err_parent.get() >= 0) {
      err_slot = n;
      fds[n++] = {err_parent.get(), POLLIN, 0};
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    int wait_ms = static_cast<int>(std::min<long long>(100, std::max<long long>(1, left)));
    int ready = ::poll(fds, n, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Fail(Internal(Errno("poll")));
    }
    if (in_slot >= 0 && fds[in_slot].revents) {
      std::size_t chunk = std::min<std::size_t>(o.stdin_data.size() - written, 64 * 1024);
      ssize_t w = ::send(in_parent.get(), o.stdin_data.data() + written, chunk, MSG_NOSIGNAL);
      if (w > 0) written += static_cast<std::size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == o.stdin_data.size()) {
        in_parent.Close();  // done, or the child stopped reading: it sees EOF / we stop
      }
    }
    for (auto [slot, fd, sink] : {std::tuple{out_slot, &out_parent, &result.out},
                                  std::tuple{err_slot, &err_parent, &result.err}}) {
      if (slot < 0 || !fds[slot].revents) continue;
      ssize_t r = ::read(fd->get(), buffer, sizeof buffer);
      if (r > 0) {
        sink->append(buffer, static_cast<std::size_t>(r));
        if (result.out.size() + result.err.size() > o.max_output_bytes) {
          return Fail(ResourceExhausted("the verb wrote more than " +
                                        std::to_string(o.max_output_bytes >> 20) +
                                        " MiB of output and was killed"));
        }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        fd->Close();
      }
    }
  }
  result.exit_code = exit_code;
  return result;
}

}  // namespace blaze::admin
