#include "blaze/node/dev_printer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace blaze::node {
namespace {

http::HttpRequest Request() {
  http::HttpRequest request;
  request.method = "GET";
  request.target = "/api?x=1";
  request.trace_id = http::TraceId::FromBits(0x0123456789abcdef, 0xfedcba9876543210);
  return request;
}

TEST(DevPrinter, PrintsOneLinePerRequestWithTimesAndTraceId) {
  std::ostringstream out;
  DevPrinter printer(out);
  engine::Invocation inv;
  inv.outcome = engine::Outcome::kOk;
  inv.wall_time = std::chrono::microseconds(1250);
  inv.cpu_time = std::chrono::microseconds(345);
  WorkerVersion version;
  printer.OnRequest(Request(), version, 200, inv);
  printer.Flush();
  EXPECT_EQ(out.str(),
            "[blaze:info] GET /api?x=1 200 (1.2 ms, cpu 0.34 ms) "
            "trace=0123456789abcdeffedcba9876543210\n");
}

TEST(DevPrinter, PrintsTheWorkersLogsAndExceptionBeforeTheRequestLine) {
  std::ostringstream out;
  DevPrinter printer(out);
  engine::Invocation inv;
  inv.outcome = engine::Outcome::kException;
  inv.exception = "worker.js:1:1: Error: boom";
  inv.logs.push_back({"log", "hello from the worker", {}});
  inv.wall_time = std::chrono::microseconds(20);
  inv.cpu_time = std::chrono::microseconds(10);
  WorkerVersion version;
  printer.OnRequest(Request(), version, 500, inv);
  printer.Flush();
  EXPECT_EQ(out.str(),
            "hello from the worker\n"
            "✘ [ERROR] worker.js:1:1: Error: boom\n"
            "[blaze:info] GET /api?x=1 500 (0.0 ms, cpu 0.01 ms) exception "
            "trace=0123456789abcdeffedcba9876543210\n");
}

TEST(DevPrinter, PrintsWhatWaitUntilWorkLoggedAfterTheRequestLine) {
  std::ostringstream out;
  DevPrinter printer(out);
  engine::Invocation after;
  after.logs.push_back({"log", "cached the scores", {}});
  after.logs.push_back({"error", "Uncaught Error: upstream down", {}});
  WorkerVersion version;
  printer.OnAfterResponse(Request(), version, after);
  printer.Flush();
  EXPECT_EQ(out.str(), "cached the scores\nUncaught Error: upstream down\n");
}

}  // namespace
}  // namespace blaze::node
