/**
 * The one-command sandbox: `npm start -- --no-traffic --fresh --data-dir DIR` answers /health,
 * stops cleanly on SIGINT, and a second start on the same folder still has the data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

interface Sandbox {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startSandbox(dataDir: string, ports: { host: number; heartland: number; commerce: number }, fresh: boolean): Sandbox {
  const args = ['tsx', 'sandbox/start.ts', '--no-traffic', '--data-dir', dataDir, ...(fresh ? ['--fresh'] : [])];
  const child = spawn('npx', args, {
    env: {
      ...process.env,
      PORT: String(ports.host),
      HEARTLAND_SIM_PORT: String(ports.heartland),
      COMMERCE_SIM_PORT: String(ports.commerce),
      AIO_RUNTIME_NAMESPACE: 'hcc-e2e',
      AIO_RUNTIME_AUTH: 'e2e:key',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so SIGINT reaches npx, tsx and node together, as Ctrl-C in a terminal does.
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return { child, output: () => text, exited };
}

async function waitForHealth(url: string, sandbox: Sandbox, timeoutMs: number): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (sandbox.child.exitCode !== null) throw new Error(`sandbox exited early:\n${sandbox.output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return (await response.json()) as Record<string, any>;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`no /health within ${timeoutMs} ms:\n${sandbox.output()}`);
}

function killGroup(sandbox: Sandbox, signal: NodeJS.Signals): void {
  try {
    process.kill(-(sandbox.child.pid as number), signal);
  } catch {
    // the group is already gone
  }
}

/** Ctrl-C: true when the sandbox closed every service and exited without an error. */
async function stopSandbox(sandbox: Sandbox): Promise<boolean> {
  killGroup(sandbox, 'SIGINT');
  const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 15_000));
  const result = await Promise.race([sandbox.exited, timeout]);
  if (result === 'timeout') {
    killGroup(sandbox, 'SIGKILL');
    throw new Error(`sandbox did not stop within 15 s:\n${sandbox.output()}`);
  }
  // npx re-raises the signal after its child exits, so "clean" is exit 0 or death by SIGINT,
  // and the sandbox's own last line, printed after every service has closed.
  const clean = (result.code === 0 || result.signal === 'SIGINT') && sandbox.output().includes('[sandbox] stopped cleanly');
  if (!clean) throw new Error(`unclean stop (${JSON.stringify(result)}):\n${sandbox.output()}`);
  return clean;
}

const dataDir = mkdtempSync(join(tmpdir(), 'hcc-e2e-'));
let current: Sandbox | undefined;
afterAll(() => {
  if (current) killGroup(current, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start sandbox', () => {
  it('starts, reports health, stops cleanly and keeps its data across restarts', async () => {
    const ports = { host: await freePort(), heartland: await freePort(), commerce: await freePort() };
    const url = `http://127.0.0.1:${ports.host}`;
    const key = 'e2e.persisted';
    const auth = `Basic ${Buffer.from('e2e:key').toString('base64')}`;

    current = startSandbox(dataDir, ports, true);
    const health = await waitForHealth(url, current, 30_000);
    expect(health.components.host.up).toBe(true);
    expect(health.components.state.up).toBe(true);
    expect(health.components).toHaveProperty('heartland');
    expect(health.components).toHaveProperty('commerce');
    for (const folder of ['connector', 'connector/files', 'connector/logs', 'heartland', 'commerce']) expect(existsSync(join(dataDir, folder))).toBe(true);
    expect(existsSync(join(dataDir, 'connector', 'state.db'))).toBe(true);

    // The connector's state goes through the state service (the aio-lib-state protocol).
    const stateUrl: string = health.components.state.url;
    const put = await fetch(`${stateUrl}/containers/hcc-e2e/data/${key}?ttl=3600`, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body: 'kept' });
    expect(put.status).toBe(200);
    // An action runs against the same sandbox.
    const status = await fetch(`${url}/api/v1/web/connector/admin-api/status`, { headers: { authorization: 'Bearer e2e', 'x-gw-ims-org-id': 'E2E@AdobeOrg' } });
    expect(status.status).toBe(200);
    const body = (await status.json()) as { connections: Record<'heartland' | 'commerce', { configured: boolean }> };
    expect(body.connections.heartland.configured).toBe(true);
    expect(body.connections.commerce.configured).toBe(true);

    // With the simulators on other ports than .env.example's, the connector follows them.
    if (health.components.heartland.up) expect(current.output()).toContain(`HEARTLAND_BASE_URL follows the simulator: http://localhost:${ports.heartland}/api`);
    if (health.components.commerce.up) expect(current.output()).toContain(`COMMERCE_BASE_URL follows the simulator: http://localhost:${ports.commerce}/rest`);

    // The panel (built or not) answers at /.
    const panel = await fetch(`${url}/`);
    expect(panel.status).toBe(200);
    expect(panel.headers.get('content-type')).toContain('text/html');

    expect(await stopSandbox(current)).toBe(true);

    current = startSandbox(dataDir, ports, false);
    const again = await waitForHealth(url, current, 30_000);
    const get = await fetch(`${again.components.state.url}/containers/hcc-e2e/data/${key}`, { headers: { authorization: auth } });
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('kept');
    expect(await stopSandbox(current)).toBe(true);
  }, 90_000);
});
