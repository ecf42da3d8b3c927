#include "blaze/storage/sqlite/faulty_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace blaze::sqlite {
namespace {

struct State {
  std::mutex mu;
  bool armed = false;
  std::uint64_t budget = 0;
  FaultyVfs::Fault fault = FaultyVfs::Fault::kIoError;
  std::string filter;
  std::atomic<std::uint64_t> injected{0};
};

State& GlobalState() {
  static State state;
  return state;
}

sqlite3_vfs* g_real = nullptr;

struct FaultyFile {
  sqlite3_file base;      // must be first: SQLite sees this
  sqlite3_file* real;     // lives right after this struct
  char path[512];
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real; }

// Returns SQLITE_OK when the write may proceed.
int Charge(FaultyFile* f, int amount) {
  State& st = GlobalState();
  std::lock_guard lock(st.mu);
  if (!st.armed) return SQLITE_OK;
  if (!st.filter.empty() && std::strstr(f->path, st.filter.c_str()) == nullptr) return SQLITE_OK;
  if (static_cast<std::uint64_t>(amount) <= st.budget) {
    st.budget -= static_cast<std::uint64_t>(amount);
    return SQLITE_OK;
  }
  st.budget = 0;
  st.injected++;
  return st.fault == FaultyVfs::Fault::kDiskFull ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

int XClose(sqlite3_file* f) {
  int rc = Real(f)->pMethods ? Real(f)->pMethods->xClose(Real(f)) : SQLITE_OK;
  return rc;
}
int XRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}
int XWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  int rc = Charge(reinterpret_cast<FaultyFile*>(f), n);
  if (rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xWrite(Real(f), buf, n, off);
}
int XTruncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int XSync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
int XFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int XLock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int XUnlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int XCheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int XFileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int XSectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int XDeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int XShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), pg, sz, extend, out);
}
int XShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void XShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int XShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }
int XFetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** pp) {
  return Real(f)->pMethods->xFetch(Real(f), off, amt, pp);
}
int XUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), off, p);
}

const sqlite3_io_methods kMethods = {
    3,          XClose,     XRead,      XWrite,        XTruncate, XSync,
    XFileSize,  XLock,      XUnlock,    XCheckReservedLock,       XFileControl,
    XSectorSize, XDeviceCharacteristics, XShmMap,      XShmLock,  XShmBarrier,
    XShmUnmap,  XFetch,     XUnfetch,
};

int XOpen(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = reinterpret_cast<FaultyFile*>(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->base.pMethods = nullptr;
  std::snprintf(f->path, sizeof f->path, "%s", name ? name : "");
  int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
  if (rc == SQLITE_OK && f->real->pMethods) f->base.pMethods = &kMethods;
  return rc;
}

int XDelete(sqlite3_vfs*, const char* name, int sync) { return g_real->xDelete(g_real, name, sync); }
int XAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int XFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* XDlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void XDlError(sqlite3_vfs*, int n, char* msg) { g_real->xDlError(g_real, n, msg); }
void (*XDlSym(sqlite3_vfs*, void* h, const char* sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void XDlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int XRandomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int XSleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int XCurrentTime(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int XGetLastError(sqlite3_vfs*, int n, char* buf) { return g_real->xGetLastError(g_real, n, buf); }
int XCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
  return g_real->xCurrentTimeInt64(g_real, t);
}

sqlite3_vfs g_vfs;

}  // namespace

const char* FaultyVfs::Register() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = kName;
    g_vfs.xOpen = XOpen;
    g_vfs.xDelete = XDelete;
    g_vfs.xAccess = XAccess;
    g_vfs.xFullPathname = XFullPathname;
    g_vfs.xDlOpen = XDlOpen;
    g_vfs.xDlError = XDlError;
    g_vfs.xDlSym = XDlSym;
    g_vfs.xDlClose = XDlClose;
    g_vfs.xRandomness = XRandomness;
    g_vfs.xSleep = XSleep;
    g_vfs.xCurrentTime = XCurrentTime;
    g_vfs.xGetLastError = XGetLastError;
    g_vfs.xCurrentTimeInt64 = XCurrentTimeInt64;
    sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
  });
  return kName;
}

void FaultyVfs::FailWritesAfter(std::uint64_t bytes, Fault fault, std::string path_filter) {
  State& st = GlobalState();
  std::lock_guard lock(st.mu);
  st.armed = true;
  st.budget = bytes;
  st.fault = fault;
  st.filter = std::move(path_filter);
}

void FaultyVfs::Heal() {
  State& st = GlobalState();
  std::lock_guard lock(st.mu);
  st.armed = false;
}

std::uint64_t FaultyVfs::faults_injected() { return GlobalState().injected.load(); }

}  // namespace blaze::sqlite
