// Starts one scenario worker under the selected dev server and stops it again.
//
// Contract: `useWorker(import.meta.url)` registers node:test before/after hooks for the calling
// test file (or the enclosing describe). `before` copies the scenario folder to a fresh temp dir
// (so neither wrangler's `.wrangler/` nor Blaze's `.blaze/` lands in the repo), starts
// `<target> dev --port P --ip 127.0.0.1 --config wrangler.toml` there in its own process group,
// and waits (bounded) until the port answers HTTP. `after` stops the whole process group
// (SIGTERM, then SIGKILL after a bound). Every wait in this file has a deadline.
//
// Environment:
//   TARGET     `blaze` (default) or `wrangler`
//   BLAZE_BIN  path to the blaze binary (default: <repo>/build/blaze)
//   WORKERS_START_TIMEOUT_S  how long to wait for the server to answer (default 30 for
//              wrangler, 15 for blaze)
//   WORKERS_KEEP_LOGS=1      print the server log path instead of deleting the temp dir

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';

const kHarnessDir = dirname(fileURLToPath(import.meta.url));
export const kWorkersDir = resolve(kHarnessDir, '..');
export const kRepoRoot = resolve(kWorkersDir, '..', '..');

export const kTarget = (process.env.TARGET || 'blaze').toLowerCase();
if (kTarget !== 'blaze' && kTarget !== 'wrangler') {
  throw new Error(`TARGET must be "blaze" or "wrangler", got "${process.env.TARGET}"`);
}

const kStopGraceMs = 5000;
const kProbeIntervalMs = 100;

// Returns a skip reason for node:test's `skip` option when the current target is not `target`.
// Use for behaviour that one side is known not to have; the reason says why.
export function onlyOn(target, why) {
  return kTarget === target ? false : `${target}-only: ${why}`;
}

// A behaviour Blaze does not have yet, named with the issue that brings it. The test still runs
// against wrangler, so the expectation stays pinned to the reference meanwhile.
export function pendingOnBlaze(issue) {
  return kTarget === 'blaze' ? `not in Blaze yet: ${issue}` : false;
}

// Asks the kernel for a free loopback port (bind to 0, read it, release it).
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// `--config F` for each extra project of a multi-worker dev session (service bindings).
function configArgs(extraConfigs) {
  return extraConfigs.flatMap((path) => ['--config', path]);
}

function wranglerCommand(port, inspectorPort, extraConfigs = []) {
  const bin = join(kWorkersDir, 'peer', 'node_modules', '.bin', 'wrangler');
  return {
    bin,
    args: [
      'dev', '--port', String(port), '--ip', '127.0.0.1', '--config', 'wrangler.toml',
      '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false',
      '--persist-to', '.state', ...configArgs(extraConfigs),
    ],
    missing: `wrangler is not installed: run "npm ci --prefix ${join(kWorkersDir, 'peer')}"`,
  };
}

function blazeCommand(port, extraArgs = [], extraConfigs = []) {
  const bin = process.env.BLAZE_BIN
    ? resolve(kRepoRoot, process.env.BLAZE_BIN)
    : join(kRepoRoot, 'build', 'blaze');
  return {
    bin,
    args: ['dev', '--port', String(port), '--ip', '127.0.0.1', '--config', 'wrangler.toml',
      ...configArgs(extraConfigs), ...extraArgs],
    missing: `blaze binary not found at ${bin} (build it or set BLAZE_BIN)`,
  };
}

function childEnv(workDir) {
  return {
    ...process.env,
    // wrangler: no telemetry, no update check banner, no Request.cf download, logs in the temp dir.
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_LOG_PATH: join(workDir, 'wrangler-logs'),
    // The server must not inherit the test runner's stdin/tty.
    CI: 'true',
  };
}

function tailOf(path, lines = 25) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// A started dev server for one scenario. `fetch(path, init)` resolves against its origin.
export class WorkerServer {
  // options.blazeArgs: extra `blaze dev` arguments (e.g. ['--threads', '2'] to serve on two
  // cores, each with its own isolate, as production does; dev defaults to one, like wrangler).
  constructor(scenarioDir, options = {}) {
    this.blazeArgs = options.blazeArgs ?? [];
    // options.extraConfigs: more wrangler.toml files (relative to the scenario folder) run in
    // the same dev session, reachable from the first through service bindings.
    this.extraConfigs = options.extraConfigs ?? [];
    this.scenarioDir = scenarioDir;
    this.port = 0;
    this.origin = '';
    this.child = null;
    this.exit = null; // {code, signal} once the process exited
    this.exited = null; // promise resolved on exit
    this.workDir = '';
    this.logPath = '';
  }

  url(path) {
    return new URL(path, this.origin).toString();
  }

  fetch(path, init = {}) {
    return fetch(this.url(path), { signal: AbortSignal.timeout(10_000), ...init });
  }

  async start() {
    this.workDir = mkdtempSync(join(tmpdir(), 'blaze-workers-'));
    const projectDir = join(this.workDir, 'project');
    cpSync(this.scenarioDir, projectDir, { recursive: true, filter: (src) => !src.endsWith('.test.mjs') });
    this.logPath = join(this.workDir, 'server.log');
    this.port = await freePort();
    this.origin = `http://127.0.0.1:${this.port}`;
    const command = kTarget === 'wrangler'
      ? wranglerCommand(this.port, await freePort(), this.extraConfigs)
      : blazeCommand(this.port, this.blazeArgs, this.extraConfigs);

    const log = openSync(this.logPath, 'a');
    this.child = spawn(command.bin, command.args, {
      cwd: projectDir,
      env: childEnv(this.workDir),
      stdio: ['ignore', log, log],
      detached: true, // own process group, so stop() reaches wrangler's workerd child too
    });
    closeSync(log);
    this.exited = new Promise((resolveExit) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolveExit(this.exit);
      });
      this.child.on('error', (error) => {
        this.exit = { code: null, signal: null, error };
        resolveExit(this.exit);
      });
    });
    await this.waitUntilAnswering(command);
  }

  async waitUntilAnswering(command) {
    const defaultS = kTarget === 'wrangler' ? 30 : 15;
    const timeoutS = Number(process.env.WORKERS_START_TIMEOUT_S || defaultS);
    const deadline = Date.now() + timeoutS * 1000;
    const what = `${kTarget} dev did not answer on port ${this.port} within ${timeoutS} s`;
    while (Date.now() < deadline) {
      if (this.exit) {
        const why = this.exit.error?.code === 'ENOENT' ? command.missing
          : `the process exited early (code ${this.exit.code}, signal ${this.exit.signal})`;
        throw new Error(`${what}: ${why}\n--- ${this.logPath} (tail) ---\n${tailOf(this.logPath)}`);
      }
      try {
        await fetch(`${this.origin}/__ready`, { signal: AbortSignal.timeout(1000) });
        return; // any HTTP answer means the listener and the worker are up
      } catch {
        await new Promise((r) => setTimeout(r, kProbeIntervalMs));
      }
    }
    await this.stop();
    throw new Error(`${what}\n--- ${this.logPath} (tail) ---\n${tailOf(this.logPath)}`);
  }

  // Sends `signal` to the server's main process only (not the group): what a supervisor does.
  signal(signal) {
    if (this.child && !this.exit) process.kill(this.child.pid, signal);
  }

  async stop() {
    if (!this.child) return;
    if (this.child.pid === undefined) { // spawn itself failed (e.g. binary missing)
      this.child = null;
      rmSync(this.workDir, { recursive: true, force: true });
      return;
    }
    if (!this.exit) {
      killGroup(this.child.pid, 'SIGTERM');
      const timer = new Promise((r) => setTimeout(r, kStopGraceMs, 'timeout'));
      if ((await Promise.race([this.exited, timer])) === 'timeout') {
        killGroup(this.child.pid, 'SIGKILL');
        await Promise.race([this.exited, new Promise((r) => setTimeout(r, kStopGraceMs))]);
      }
    }
    // The main process may be gone while a grandchild (workerd) lingers in the group.
    killGroup(this.child.pid, 'SIGKILL');
    if (process.env.WORKERS_KEEP_LOGS === '1') {
      console.log(`# server log kept: ${this.logPath}`);
    } else {
      rmSync(this.workDir, { recursive: true, force: true });
    }
    this.child = null;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

// Registers before/after hooks that run the scenario folder containing `testFileUrl`.
export function useWorker(testFileUrl, options = {}) {
  const server = new WorkerServer(dirname(fileURLToPath(testFileUrl)), options);
  before(() => server.start(), { timeout: 90_000 });
  after(() => server.stop(), { timeout: 30_000 });
  return server;
}

// Runs `blaze <args...>` in a started blaze scenario's project folder, on the data directory
// `blaze dev` uses there (./.blaze), bounded by a timeout. Returns {status, stdout, stderr}.
export function runBlazeCli(server, args, timeoutMs = 15_000) {
  const bin = process.env.BLAZE_BIN
    ? resolve(kRepoRoot, process.env.BLAZE_BIN)
    : join(kRepoRoot, 'build', 'blaze');
  const r = spawnSync(bin, args, {
    cwd: join(server.workDir, 'project'), encoding: 'utf8', timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
