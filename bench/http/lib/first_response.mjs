// Prints "polling", then polls URL until it answers 200 with a body containing EXPECT, prints the
// wall-clock time of that answer in epoch milliseconds (fractional) and exits 0; exits 1 after
// DEADLINE_MS. run.sh starts this poller before the server (waiting for "polling") and subtracts
// the server's start time, so "process start -> first response" has ~1 ms resolution instead of
// the cost of one curl spawn per attempt.
//
// usage: node first_response.mjs URL EXPECT DEADLINE_MS
import http from "node:http";

const [url, expect, deadlineArg] = process.argv.slice(2);
const deadline = performance.now() + Number(deadlineArg ?? 10000);

function attempt() {
  if (performance.now() > deadline) {
    process.exit(1);
  }
  const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => (body += chunk));
    res.on("end", () => {
      if (res.statusCode === 200 && body.includes(expect)) {
        console.log((performance.timeOrigin + performance.now()).toFixed(3));
        process.exit(0);
      }
      setTimeout(attempt, 1);
    });
  });
  req.on("timeout", () => req.destroy());
  req.on("error", () => setTimeout(attempt, 1));
}
// Warm node's HTTP client first (module loading, parser, JIT: ~10 ms on a fresh process) against a
// throwaway local server, so the first real attempt costs what every later one does.
async function warmUp() {
  const server = http.createServer((req, res) => res.end("warm"));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const warmUrl = `http://127.0.0.1:${server.address().port}/`;
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve, reject) => {
      http.get(warmUrl, { agent: false }, (res) => res.resume().on("end", resolve)).on("error", reject);
    });
  }
  server.close();
}

await warmUp();
console.log("polling");
attempt();
