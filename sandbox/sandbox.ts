/**
 * The whole local system in one call: state service, Runtime host, both simulators, optional demo
 * seed and demo traffic. `npm start` (sandbox/start.ts) wraps it for people; e2e tests, the soak
 * and the benchmarks call it directly with ephemeral ports (0).
 *
 * Actions run inside this process, and aio-lib-state reads AIO_STATE_ENDPOINT once when first
 * loaded, so one process runs one sandbox (vitest runs each test file in its own process).
 */
import { existsSync, mkdirSync, rmSync, appendFileSync } from 'node:fs';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStateService } from './state/server';
import { startHost } from './host';
import { applySandboxEnv, readSandboxEnv } from './env';

export const SANDBOX_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Closable {
  close(): Promise<void> | void;
}
export interface SandboxService extends Closable {
  url: string;
  port: number;
}

export interface SandboxOptions {
  dataDir: string;
  /** Ports; 0 picks a free one. Defaults 9080 / 9081 / 9082. */
  ports?: { host?: number; heartland?: number; commerce?: number };
  listenHost?: string;
  /** Wipe dataDir first. */
  fresh?: boolean;
  /** Seed demo catalog, customers and connector settings on first start (default true). */
  seed?: boolean;
  /** Generate demo traffic (default false; `npm start` turns it on). */
  traffic?: boolean;
  /** Fire app.config.yaml alarms (default true). */
  alarms?: boolean;
  /** Length of one alarm "minute" in ms (tests shorten it). */
  alarmIntervalMs?: number;
  /** Extra environment for the connector (overrides .env / .env.example). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Sandbox {
  dataDir: string;
  dirs: { connector: string; files: string; logs: string; heartland: string; commerce: string };
  state: SandboxService;
  host: Awaited<ReturnType<typeof startHost>>;
  heartland?: SandboxService;
  commerce?: SandboxService;
  /** What `.env`/`.env.example` and the options resolved to (connector inputs). */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** `--fresh` deletes the data folder; refuse anything that is clearly not a sandbox folder. */
export function wipeDataDir(dataDir: string): void {
  if (dataDir === parsePath(dataDir).root || dataDir === SANDBOX_ROOT || dataDir === process.env.HOME) {
    throw new Error(`refusing to wipe ${dataDir}: choose a dedicated --data-dir`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** Imports an optional sandbox module (demo traffic arrives in a later issue). */
async function optionalModule(relative: string): Promise<Record<string, unknown> | undefined> {
  const file = join(SANDBOX_ROOT, 'sandbox', relative);
  if (!existsSync(file)) return undefined;
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Up when anything answers HTTP at the URL (an auth error still means the service is running). */
async function ping(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * `.env.example` points the connector at the simulators' default ports. When a simulator runs on
 * another port, follow it, so overriding a port is enough. Any other base URL (a real store, a
 * tunnel) is left alone.
 */
function followSimulatorPort(variable: string, defaultPort: number, simulatorUrl: string | undefined, log: (line: string) => void): void {
  const configured = process.env[variable];
  if (!configured || !simulatorUrl) return;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return; // invalid values are reported by the actions, by name
  }
  const actualPort = new URL(simulatorUrl).port;
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (!local || url.port !== String(defaultPort) || actualPort === String(defaultPort)) return;
  url.port = actualPort;
  process.env[variable] = url.toString().replace(/\/$/, '');
  log(`[sandbox] ${variable} follows the simulator: ${process.env[variable]}`);
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const envFile = readSandboxEnv(SANDBOX_ROOT);
  for (const [k, v] of Object.entries(options.env ?? {})) process.env[k] = v;
  applySandboxEnv(envFile);
  const listenHost = options.listenHost ?? process.env.HOST ?? '127.0.0.1';
  const ports = { host: options.ports?.host ?? 9080, heartland: options.ports?.heartland ?? 9081, commerce: options.ports?.commerce ?? 9082 };

  const dataDir = resolve(options.dataDir);
  if (options.fresh) wipeDataDir(dataDir);
  const dirs = {
    connector: join(dataDir, 'connector'),
    files: join(dataDir, 'connector', 'files'),
    logs: join(dataDir, 'connector', 'logs'),
    heartland: join(dataDir, 'heartland'),
    commerce: join(dataDir, 'commerce'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const hostLog = join(dirs.logs, 'host.log');
  const log = (line: string) => {
    (options.log ?? console.log)(line);
    appendFileSync(hostLog, `${new Date().toISOString()} ${line}\n`);
  };
  log(`[sandbox] data in ${dataDir}; settings from ${envFile.source}`);

  const running: Closable[] = [];
  const closeAll = async () => {
    let firstError: unknown;
    for (const service of running.reverse()) {
      try {
        await service.close();
      } catch (error) {
        firstError ??= error;
      }
    }
    running.length = 0;
    if (firstError) throw firstError;
  };

  try {
    const state = await startStateService({ dbFile: join(dirs.connector, 'state.db'), host: listenHost });
    running.push(state);
    // aio-lib-state reads AIO_STATE_ENDPOINT when first loaded: set before any action is imported.
    process.env.AIO_STATE_ENDPOINT = state.url;
    process.env.HCC_FILES_DIR = dirs.files;

    const simulators: { heartland?: SandboxService; commerce?: SandboxService } = {};
    const host = await startHost({
      port: ports.host,
      host: listenHost,
      appConfigPath: join(SANDBOX_ROOT, 'app.config.yaml'),
      env: process.env as Record<string, string>,
      webRoot: join(SANDBOX_ROOT, 'web-src', 'dist'),
      alarms: options.alarms ?? true,
      alarmIntervalMs: options.alarmIntervalMs,
      log,
      components: async () => {
        const component = async (service: SandboxService | undefined, name: string) =>
          service ? { up: await ping(service.url), url: service.url } : { up: false, url: null, message: `the ${name} simulator is not running` };
        return {
          state: { up: await ping(state.url), url: state.url },
          heartland: await component(simulators.heartland, 'Heartland'),
          commerce: await component(simulators.commerce, 'Commerce'),
        };
      },
    });
    running.push(host);

    const heartlandModule = await optionalModule('heartland/server.ts');
    if (typeof heartlandModule?.startHeartlandSimulator === 'function') {
      simulators.heartland = (await heartlandModule.startHeartlandSimulator({
        port: ports.heartland,
        host: listenHost,
        dataDir: dirs.heartland,
        token: process.env.HEARTLAND_API_TOKEN,
      })) as SandboxService;
      running.push(simulators.heartland);
    }
    const commerceModule = await optionalModule('commerce/server.ts');
    if (typeof commerceModule?.startCommerceSimulator === 'function') {
      simulators.commerce = (await commerceModule.startCommerceSimulator({
        port: ports.commerce,
        host: listenHost,
        dataDir: dirs.commerce,
        eventsTarget: { url: host.invokeUrl('connector/commerce-events'), authorization: host.authorization },
      })) as SandboxService;
      running.push(simulators.commerce);
    }
    followSimulatorPort('HEARTLAND_BASE_URL', 9081, simulators.heartland?.url, log);
    followSimulatorPort('COMMERCE_BASE_URL', 9082, simulators.commerce?.url, log);

    const sandbox: Sandbox = {
      dataDir,
      dirs,
      state,
      host,
      heartland: simulators.heartland,
      commerce: simulators.commerce,
      env: process.env,
      close: closeAll,
    };

    if (options.seed ?? true) {
      const demo = await optionalModule('demo/seed.ts');
      // seedDemo is idempotent: a second start on the same data changes nothing.
      if (typeof demo?.seedDemo === 'function') await demo.seedDemo(sandbox, { log });
    }
    if (options.traffic) {
      const traffic = await optionalModule('demo/traffic.ts');
      if (typeof traffic?.startTraffic === 'function') {
        const generator = (await traffic.startTraffic(sandbox, { log })) as Closable | undefined;
        if (generator && typeof generator.close === 'function') running.push(generator);
      }
    }
    return sandbox;
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
