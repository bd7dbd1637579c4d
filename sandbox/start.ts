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
import { parseArgs } from 'node:util';
import { startSandbox, SANDBOX_ROOT, type Sandbox } from './sandbox';
import { applySandboxEnv, portFromEnv, readSandboxEnv } from './env';

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

function describe(sandbox: Sandbox, log: (line: string) => void): void {
  const { host } = sandbox;
  log(`[sandbox] panel      ${host.url}/`);
  log(`[sandbox] health     ${host.url}/health`);
  log(`[sandbox] actions    ${host.url}/api/v1/web/connector/admin-api/status (web), ${host.invokeUrl('connector/scheduler')} (OpenWhisk)`);
  log(`[sandbox] state      ${sandbox.state.url}`);
  log(`[sandbox] heartland  ${sandbox.heartland?.url ?? 'not started'}`);
  log(`[sandbox] commerce   ${sandbox.commerce?.url ?? 'not started'}`);
  log('[sandbox] ready. Ctrl-C stops everything.');
}

async function main(): Promise<void> {
  const flags = parseFlags();
  if (flags.help) {
    console.log('usage: npm start -- [--no-traffic] [--fresh] [--data-dir DIR]\nports: PORT (9080), HEARTLAND_SIM_PORT (9081), COMMERCE_SIM_PORT (9082)');
    return;
  }
  // Ports come from the shell or the env file, like every other setting.
  applySandboxEnv(readSandboxEnv(SANDBOX_ROOT));
  const log = (line: string) => console.log(line);
  let sandbox: Sandbox | undefined;
  let stopping = false;
  async function stop(code: number): Promise<void> {
    // Ctrl-C in a terminal reaches npm, tsx and this process at once; repeated signals while
    // stopping are ignored rather than cutting the shutdown short.
    if (stopping) return;
    stopping = true;
    log('[sandbox] stopping…');
    let clean = true;
    try {
      await sandbox?.close();
    } catch (error) {
      clean = false;
      console.error('[sandbox] failed to stop a service cleanly', error);
    }
    log(clean ? '[sandbox] stopped cleanly' : '[sandbox] stopped with errors');
    process.exit(clean ? code : 1);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    sandbox = await startSandbox({
      dataDir: flags['data-dir'] ?? '.sandbox',
      fresh: flags.fresh,
      traffic: !flags['no-traffic'],
      listenHost: process.env.HOST || '127.0.0.1',
      ports: {
        host: portFromEnv('PORT', 9080),
        heartland: portFromEnv('HEARTLAND_SIM_PORT', 9081),
        commerce: portFromEnv('COMMERCE_SIM_PORT', 9082),
      },
      log,
    });
    describe(sandbox, log);
  } catch (error) {
    console.error(`[sandbox] failed to start: ${(error as Error).message}`);
    await stop(1);
  }
}

void main();
