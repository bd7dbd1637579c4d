/** createPlatform wires the real adapters from the environment the local host sets. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createPlatform } from '../../lib/platform/platform';
import { createManualClock, createMemoryLogger, createMemoryStateStore } from '../../lib/platform/memory';
import { startStateService, type StateService } from '../../sandbox/state/server';

let dir: string;
let stateService: StateService;
let runtime: http.Server;
let runtimeUrl: string;
const invocations: Array<{ path: string; auth?: string }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-platform-'));
  stateService = await startStateService({ dbFile: join(dir, 'state.db') });
  runtime = http.createServer((req, res) => {
    invocations.push({ path: req.url!, auth: req.headers.authorization });
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ activationId: 'a-1' }));
    });
  });
  await new Promise<void>((r) => runtime.listen(0, '127.0.0.1', r));
  runtimeUrl = `http://127.0.0.1:${(runtime.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stateService.close();
  await new Promise<void>((r) => runtime.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const localEnv = () => ({
  AIO_STATE_ENDPOINT: stateService.url,
  HCC_FILES_DIR: join(dir, 'files'),
  __OW_NAMESPACE: '1234567-hcc-local',
  __OW_API_KEY: 'local-user:local-key',
  __OW_API_HOST: runtimeUrl,
  LOG_LEVEL: 'debug',
});

describe('createPlatform', () => {
  it('uses the real aio-lib-state against AIO_STATE_ENDPOINT, the filesystem under HCC_FILES_DIR and the openwhisk invoker', async () => {
    const platform = createPlatform(localEnv());
    await platform.state.put('cursor.heartland.items', { since: 'x' }, { ttlSeconds: 60 });
    expect(await platform.state.get('cursor.heartland.items')).toEqual({ since: 'x' });
    // It really went to the service:
    const raw = await fetch(`${stateService.url}/containers/1234567-hcc-local/data/cursor.heartland.items`, {
      headers: { authorization: `Basic ${Buffer.from('x').toString('base64')}` },
    });
    expect(await raw.text()).toBe('{"since":"x"}');

    await platform.files.write('reports/r.csv', 'a,b\n');
    expect(readFileSync(join(dir, 'files', 'reports', 'r.csv'), 'utf8')).toBe('a,b\n');

    expect(await platform.invoker.invoke('connector/worker', { chunk: 1 })).toEqual({ activationId: 'a-1' });
    expect(invocations.at(-1)).toEqual({
      path: '/api/v1/namespaces/1234567-hcc-local/actions/connector/worker?blocking=false',
      auth: `Basic ${Buffer.from('local-user:local-key').toString('base64')}`,
    });
    expect(Math.abs(platform.clock.now() - Date.now())).toBeLessThan(1000);
  });

  it('logs JSON lines to stdout at LOG_LEVEL, named after the action', () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const platform = createPlatform({ ...localEnv(), LOG_LEVEL: 'warn', __OW_ACTION_NAME: '/ns/connector/scheduler' });
      platform.logger.info('hidden');
      platform.logger.child({ correlationId: 'c-9' }).warn('shown', { token: 't' });
    } finally {
      spy.mockRestore();
    }
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0])).toMatchObject({ level: 'warn', name: '/ns/connector/scheduler', message: 'shown', correlationId: 'c-9', token: '[redacted]' });
  });

  it('says which variables are missing when the invoker cannot be configured, without failing at start-up', async () => {
    const platform = createPlatform({ HCC_FILES_DIR: join(dir, 'files'), __OW_API_HOST: 'undefined' });
    await expect(platform.invoker.invoke('connector/worker', {})).rejects.toThrow(/__OW_API_HOST.*__OW_NAMESPACE.*__OW_API_KEY/);
  });

  it('refuses a second, different AIO_STATE_ENDPOINT instead of writing to the wrong service', async () => {
    const platform = createPlatform({ ...localEnv(), AIO_STATE_ENDPOINT: 'http://127.0.0.1:1' });
    await expect(platform.state.get('any.key')).rejects.toMatchObject({
      name: 'StateServiceError',
      code: 'ERROR_ENDPOINT_MISMATCH',
      retryable: false,
      message: expect.stringMatching(/loaded with endpoint/),
    });
  });

  it('reports missing state credentials as a terminal StateServiceError', async () => {
    const previous = { ns: process.env.__OW_NAMESPACE, key: process.env.__OW_API_KEY };
    delete process.env.__OW_NAMESPACE;
    delete process.env.__OW_API_KEY;
    try {
      const platform = createPlatform({ AIO_STATE_ENDPOINT: stateService.url, HCC_FILES_DIR: join(dir, 'files') });
      await expect(platform.state.put('a.key', 1, { ttlSeconds: 60 })).rejects.toMatchObject({
        name: 'StateServiceError',
        retryable: false,
        message: expect.stringMatching(/__OW_NAMESPACE and __OW_API_KEY/),
      });
    } finally {
      if (previous.ns !== undefined) process.env.__OW_NAMESPACE = previous.ns;
      if (previous.key !== undefined) process.env.__OW_API_KEY = previous.key;
    }
  });

  it('gives every activation of a container the same state store for the same state identity, and another for another', async () => {
    const first = createPlatform(localEnv());
    const second = createPlatform(localEnv());
    expect(second.state).toBe(first.state); // breakers and their cached view are keyed by it
    expect(createPlatform({ ...localEnv(), __OW_NAMESPACE: '1234567-hcc-other' }).state).not.toBe(first.state);
    await first.state.put('shared.store', 1, { ttlSeconds: 60 });
    expect(await second.state.get('shared.store')).toBe(1);
  });

  it('keeps overrides and builds nothing for them', async () => {
    const state = createMemoryStateStore();
    const logger = createMemoryLogger();
    const clock = createManualClock(5);
    const platform = createPlatform({}, { state, logger, clock });
    expect(platform.state).toBe(state);
    expect(platform.logger).toBe(logger);
    expect(platform.clock.now()).toBe(5);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
