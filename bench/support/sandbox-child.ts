/**
 * The sandbox in a child process, for benchmarks that measure the connector's own CPU or run a
 * connector with other client settings next to the sandbox's: the simulators, state service and
 * Runtime host then do not share this process's CPU clock or event loop. The parent gets URLs, the
 * connector inputs (`env`) and the demo seed over IPC; `stopSandboxChild` ends it.
 *
 * Run directly (`--sandbox-child`) it starts the sandbox and waits for the parent's exit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoSeed } from '../../sandbox/demo/seed';
import { readAgain } from './report';

export interface SandboxChild {
  process: ChildProcess;
  hostUrl: string;
  heartlandUrl: string;
  commerceUrl: string;
  stateUrl: string;
  filesDir: string;
  /** Connector inputs as the sandbox resolved them (base URLs follow the ephemeral ports). */
  env: Record<string, string>;
  seed: DemoSeed;
}

export interface SandboxChildOptions {
  items?: number;
  customers?: number;
}

type Ready = Omit<SandboxChild, 'process'>;

/** Connector inputs, plus the Runtime identity aio-lib-state needs to reach the same state namespace. */
const CONNECTOR_INPUT = /^(HEARTLAND_|COMMERCE_|ADOBE_|WEBHOOK_|HCC_|LOG_LEVEL$|__OW_NAMESPACE$|__OW_API_KEY$)/;

export async function startSandboxChild(options: SandboxChildOptions = {}): Promise<SandboxChild> {
  const child = fork(fileURLToPath(import.meta.url), ['--sandbox-child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => {
      const message = m as { ok: true; ready: Ready } | { ok: false; error: string };
      if (message.ok) resolve(message.ready);
      else reject(new Error(`sandbox child failed: ${message.error}`));
    });
    child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code} before it was ready`)));
    child.send(options);
  });
  return { process: child, ...ready };
}

export async function stopSandboxChild(child: SandboxChild): Promise<void> {
  if (child.process.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.send('stop');
  });
}

/**
 * Points this process's connector at the child's state service and file store. Must run before
 * anything imports aio-lib-state (it reads AIO_STATE_ENDPOINT once, when loaded).
 */
export function useChildPlatform(child: SandboxChild): void {
  // Per-unit info lines would drown the result; BENCHMARKS.md says figures are taken at `warn`.
  process.env.LOG_LEVEL ??= 'warn';
  process.env.AIO_STATE_ENDPOINT = child.stateUrl;
  process.env.HCC_FILES_DIR = child.filesDir;
  for (const [k, v] of Object.entries(child.env)) if (process.env[k] === undefined) process.env[k] = v;
}

async function childMain(options: SandboxChildOptions): Promise<void> {
  // The sandbox's own action logs are not what a benchmark reports; warnings still show.
  process.env.LOG_LEVEL ??= 'warn';
  const { startSandbox } = await import('../../sandbox/sandbox');
  const { seedDemo } = await import('../../sandbox/demo/seed');
  const dir = mkdtempSync(join(tmpdir(), 'hcc-bench-'));
  const sandbox = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => undefined });
  const seed = await seedDemo(sandbox, { items: options.items, customers: options.customers });
  // Only the connector's own inputs travel to the parent, not this process's whole environment.
  const env = Object.fromEntries(Object.entries(sandbox.env).filter((e): e is [string, string] => typeof e[1] === 'string' && CONNECTOR_INPUT.test(e[0])));
  process.send!({
    ok: true,
    ready: { hostUrl: sandbox.host.url, heartlandUrl: sandbox.heartland!.url, commerceUrl: sandbox.commerce!.url, stateUrl: sandbox.state.url, filesDir: sandbox.dirs.files, env, seed } satisfies Ready,
  });
  const stop = async () => {
    await sandbox.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (m) => m === 'stop' && void stop());
  process.on('disconnect', () => void stop());
}

if (process.argv.includes('--sandbox-child')) {
  process.once('message', (options) => {
    childMain(options as SandboxChildOptions).catch((error) => {
      process.send?.({ ok: false, error: String(error?.stack ?? error) });
      process.exit(1);
    });
  });
}

/**
 * Waits until the sandbox is at rest: no Commerce event delivery pending and no request to the
 * Heartland simulator for `quietMs` (after the demo seed the customer and stock flows catch up,
 * and a benchmark measures a store at rest plus its own load, not the seed's backlog).
 */
export async function settle(child: Pick<SandboxChild, 'heartlandUrl' | 'commerceUrl'>, quietMs = 1_500, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  const commerceOrigin = new URL(child.commerceUrl).origin;
  while (Date.now() - started < timeoutMs) {
    const deliveries = (await readAgain(async () => (await fetch(`${commerceOrigin}/__sim/events/deliveries?since=0`)).json())) as Array<{ status: string }>;
    if (!deliveries.some((d) => d.status === 'pending')) {
      const since = Date.now() - quietMs;
      const { requests } = (await readAgain(async () => (await fetch(new URL(`../__sim/requests?since=${since}`, child.heartlandUrl))).json())) as { requests: unknown[] };
      if (requests.length === 0) return;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  console.warn(`sandbox still busy after ${timeoutMs} ms; measuring anyway`);
}
