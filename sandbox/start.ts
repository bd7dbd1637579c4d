/**
 * `npm start`: the whole sandbox with one command (CONTRACTS.md "Sandbox").
 *
 *   npm start -- [--no-traffic] [--fresh] [--data-dir DIR]
 *
 * Starts the local state service (SQLite under DIR/connector/), the Runtime host on PORT (9080),
 * and, when their modules are present, the Heartland simulator on HEARTLAND_SIM_PORT (9081), the
 * Commerce simulator on COMMERCE_SIM_PORT (9082) and demo traffic. Ctrl-C or SIGTERM stops all of
 * it; the next start reuses DIR unless `--fresh` is given.
 */
import { existsSync, mkdirSync, rmSync, appendFileSync } from 'node:fs';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startStateService } from './state/server';
import { startHost } from './host';
import { applySandboxEnv, portFromEnv, readSandboxEnv } from './env';

interface Closable {
  close(): Promise<void> | void;
}
interface Service extends Closable {
  url: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseFlags() {
  const { values } = parseArgs({
    options: {
      'no-traffic': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.sandbox' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  return values;
}

/** `--fresh` deletes the data folder; refuse anything that is clearly not a sandbox folder. */
function wipe(dataDir: string): void {
  if (dataDir === parsePath(dataDir).root || dataDir === root || dataDir === process.env.HOME) {
    throw new Error(`refusing to wipe ${dataDir}: choose a dedicated --data-dir`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** Imports an optional sandbox module (simulators and traffic arrive in later issues). */
async function optionalModule(relative: string): Promise<Record<string, unknown> | undefined> {
  const file = join(root, 'sandbox', relative);
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
 * another port (HEARTLAND_SIM_PORT / COMMERCE_SIM_PORT), follow it, so overriding a port is enough.
 * Any other base URL (a real store, a tunnel) is left alone.
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

async function main(): Promise<void> {
  const flags = parseFlags();
  if (flags.help) {
    console.log('usage: npm start -- [--no-traffic] [--fresh] [--data-dir DIR]\nports: PORT (9080), HEARTLAND_SIM_PORT (9081), COMMERCE_SIM_PORT (9082)');
    return;
  }
  const env = readSandboxEnv(root);
  applySandboxEnv(env);
  const listenHost = process.env.HOST || '127.0.0.1';
  const ports = {
    host: portFromEnv('PORT', 9080),
    heartland: portFromEnv('HEARTLAND_SIM_PORT', 9081),
    commerce: portFromEnv('COMMERCE_SIM_PORT', 9082),
  };

  const dataDir = resolve(flags['data-dir']);
  if (flags.fresh) wipe(dataDir);
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
    console.log(line);
    appendFileSync(hostLog, `${new Date().toISOString()} ${line}\n`);
  };
  log(`[sandbox] data in ${dataDir}; settings from ${env.source}`);

  const running: Closable[] = [];
  let stopping = false;
  async function stop(code: number): Promise<void> {
    // Ctrl-C in a terminal reaches npm, tsx and this process at once; repeated signals while
    // stopping are ignored rather than cutting the shutdown short.
    if (stopping) return;
    stopping = true;
    log('[sandbox] stopping…');
    let clean = true;
    for (const service of running.reverse()) {
      try {
        await service.close();
      } catch (error) {
        clean = false;
        console.error('[sandbox] failed to stop a service cleanly', error);
      }
    }
    log(clean ? '[sandbox] stopped cleanly' : '[sandbox] stopped with errors');
    process.exit(clean ? code : 1);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const state = await startStateService({ dbFile: join(dirs.connector, 'state.db'), host: listenHost });
    running.push(state);
    // aio-lib-state reads AIO_STATE_ENDPOINT when first loaded: set before any action is imported.
    process.env.AIO_STATE_ENDPOINT = state.url;
    process.env.HCC_FILES_DIR = dirs.files;

    const simulators: { heartland?: Service; commerce?: Service } = {};
    const host = await startHost({
      port: ports.host,
      host: listenHost,
      appConfigPath: join(root, 'app.config.yaml'),
      env: process.env,
      webRoot: join(root, 'web-src', 'dist'),
      log,
      components: async () => {
        const component = async (service: Service | undefined, name: string) =>
          service ? { up: await ping(service.url), url: service.url } : { up: false, url: null, message: `the ${name} simulator is not part of this checkout yet` };
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
      })) as Service;
      running.push(simulators.heartland);
    }
    const commerceModule = await optionalModule('commerce/server.ts');
    if (typeof commerceModule?.startCommerceSimulator === 'function') {
      simulators.commerce = (await commerceModule.startCommerceSimulator({
        port: ports.commerce,
        host: listenHost,
        dataDir: dirs.commerce,
        eventsTarget: { url: host.invokeUrl('connector/commerce-events'), authorization: host.authorization },
      })) as Service;
      running.push(simulators.commerce);
    }

    followSimulatorPort('HEARTLAND_BASE_URL', 9081, simulators.heartland?.url, log);
    followSimulatorPort('COMMERCE_BASE_URL', 9082, simulators.commerce?.url, log);

    if (!flags['no-traffic']) {
      const traffic = await optionalModule('traffic.ts');
      // ASSUMED: the demo traffic module (a later issue) exports startTraffic(opts) returning { close() }.
      if (typeof traffic?.startTraffic === 'function') {
        const generator = (await traffic.startTraffic({
          hostUrl: host.url,
          heartlandUrl: simulators.heartland?.url,
          commerceUrl: simulators.commerce?.url,
          dataDir,
        })) as Closable | undefined;
        if (generator && typeof generator.close === 'function') running.push(generator);
      }
    }

    log(`[sandbox] panel      ${host.url}/`);
    log(`[sandbox] health     ${host.url}/health`);
    log(`[sandbox] actions    ${host.url}/api/v1/web/connector/admin-api/status (web), ${host.invokeUrl('connector/scheduler')} (OpenWhisk)`);
    log(`[sandbox] state      ${state.url}`);
    log(`[sandbox] heartland  ${simulators.heartland?.url ?? `not started (no simulator yet; port ${ports.heartland} reserved)`}`);
    log(`[sandbox] commerce   ${simulators.commerce?.url ?? `not started (no simulator yet; port ${ports.commerce} reserved)`}`);
    log('[sandbox] ready. Ctrl-C stops everything.');
  } catch (error) {
    console.error(`[sandbox] failed to start: ${(error as Error).message}`);
    await stop(1);
  }
}

void main();
