/**
 * Starts, kills (SIGKILL) and restarts the host child (host-child.ts) on a fixed port, and moves
 * its clock. The port stays the same across restarts so the Commerce simulator's event target and
 * the Heartland webhook registration stay valid, as a Runtime namespace's URLs do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SANDBOX_ROOT } from '../sandbox';

export interface HostProcessOptions {
  port: number;
  env: Record<string, string>;
  /** Host output (actions' JSON logs) is appended here. */
  logFile: string;
  startTimeoutMs?: number;
}

export interface HostProcess {
  url: string;
  schedulerUrl: string;
  authorization: string;
  /** Restarts so far (not counting the first start). */
  restarts: number;
  kills: number;
  clockOffsetMs(): number;
  /** SIGKILL: no shutdown hooks, in-flight activations die mid-way. */
  kill(): Promise<void>;
  start(): Promise<void>;
  setClockOffset(offsetMs: number): Promise<void>;
  running(): boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  let child: ChildProcess | undefined;
  let offset = 0;
  let log: WriteStream | undefined = createWriteStream(options.logFile, { flags: 'a' });
  const info = { url: `http://127.0.0.1:${options.port}`, schedulerUrl: '', authorization: '' };

  async function start(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) throw new Error('the host child is already running');
    const proc = spawn(process.execPath, ['--import', 'tsx', join(SANDBOX_ROOT, 'sandbox', 'soak', 'host-child.ts')], {
      cwd: SANDBOX_ROOT,
      env: { ...options.env, PORT: String(options.port), SOAK_CLOCK_OFFSET_MS: String(offset) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = proc;
    proc.stdout?.on('data', (chunk) => log?.write(chunk));
    proc.stderr?.on('data', (chunk) => log?.write(chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the host child did not start within ${options.startTimeoutMs ?? 60_000} ms (log: ${options.logFile})`)), options.startTimeoutMs ?? 60_000);
      proc.on('message', (m: any) => {
        if (m?.ready) {
          clearTimeout(timer);
          info.schedulerUrl = m.invokeUrl;
          info.authorization = m.authorization;
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the host child exited during start (code ${code}, signal ${signal}); log: ${options.logFile}`));
      });
    });
  }

  const handle: HostProcess = {
    get url() {
      return info.url;
    },
    get schedulerUrl() {
      return info.schedulerUrl;
    },
    get authorization() {
      return info.authorization;
    },
    restarts: 0,
    kills: 0,
    clockOffsetMs: () => offset,
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    async kill() {
      if (!handle.running()) return;
      const proc = child!;
      const exited = new Promise<void>((done) => proc.once('exit', () => done()));
      proc.kill('SIGKILL');
      await exited;
      handle.kills++;
    },
    async start() {
      const first = !child;
      await start();
      if (!first) handle.restarts++;
    },
    async setClockOffset(offsetMs: number) {
      offset = Math.max(offset, offsetMs);
      if (!handle.running()) return;
      const proc = child!;
      await new Promise<void>((done) => {
        const onMessage = (m: any) => {
          if (typeof m?.clockOffsetMs === 'number') {
            proc.off('message', onMessage);
            done();
          }
        };
        proc.on('message', onMessage);
        proc.send({ clockOffsetMs: offset });
      });
    },
    async stop() {
      if (handle.running()) {
        const proc = child!;
        const exited = new Promise<void>((done) => proc.once('exit', () => done()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((done) => (log ? log.end(() => done()) : done()));
      log = undefined;
    },
  };
  await handle.start();
  return handle;
}
