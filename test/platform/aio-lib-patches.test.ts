/**
 * patches/ (applied by `patch-package` on npm install) make aio-lib-state compile each request
 * schema once instead of building a new Ajv instance per get/put/delete, and make aio's debug
 * logger skip formatting when its level is off. Both must keep the libraries' behaviour: keys are
 * still validated on every call (the cached validator is reused, not skipped), and results and
 * errors are what they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStateService, type StateService } from '../../sandbox/state/server';

const require = createRequire(import.meta.url);
let dir = '';
let service: StateService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-aio-patch-'));
  service = await startStateService({ dbFile: join(dir, 'state.db') });
  process.env.AIO_STATE_ENDPOINT = service.url;
});
afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('patched aio-lib-state', () => {
  it('is the patched file (npm install ran patch-package)', () => {
    const source = readFileSync(require.resolve('@adobe/aio-lib-state/lib/AdobeState.js'), 'utf8');
    expect(source).toContain('compiledValidators');
  });

  it('still validates the key on every call, before and after a good call with the same schema', async () => {
    const { init } = await import('@adobe/aio-lib-state');
    const state = await init({ ow: { namespace: '1234567-hcc-patch', auth: 'fake-user:fake-password' } });
    for (let round = 0; round < 3; round++) {
      await expect(state.put('bad key!', 'v', { ttl: 60 })).rejects.toMatchObject({ code: 'ERROR_BAD_ARGUMENT' });
      await expect(state.get('bad/key')).rejects.toMatchObject({ code: 'ERROR_BAD_ARGUMENT' });
      await expect(state.delete('')).rejects.toMatchObject({ code: 'ERROR_BAD_ARGUMENT' });
      expect(await state.put(`good.key${round}`, `v${round}`, { ttl: 60 })).toBe(`good.key${round}`);
      expect((await state.get(`good.key${round}`))?.value).toBe(`v${round}`);
    }
    // A ttl of the wrong type fails the put schema (same schema object as the good puts above).
    await expect(state.put('good.key', 'v', { ttl: 'soon' as unknown as number })).rejects.toMatchObject({ code: 'ERROR_BAD_ARGUMENT' });
  });

  it('answers a missing key with undefined and deletes with the key, then null', async () => {
    const { init } = await import('@adobe/aio-lib-state');
    const state = await init({ ow: { namespace: '1234567-hcc-patch', auth: 'fake-user:fake-password' } });
    expect(await state.get('never.written')).toBeUndefined();
    await state.put('to.delete', 'x');
    expect(await state.delete('to.delete')).toBe('to.delete');
    expect(await state.delete('to.delete')).toBeNull();
  });
});

describe('patched aio-lib-core-logging debug provider', () => {
  it('does not format arguments for a level that is off, and still writes a level that is on', () => {
    const DebugLogger = require('@adobe/aio-lib-core-logging/src/DebugLogger.js');
    const lines: string[] = [];
    const logger = new DebugLogger({ label: 'hcc-patch-test', level: 'info' });
    let formatted = 0;
    const costly = { [Symbol.for('nodejs.util.inspect.custom')]: () => `inspected ${++formatted}` };
    logger.debugLogger.log = (line: string) => lines.push(line);
    logger.debug('response', costly);
    expect(formatted).toBe(0);
    expect(lines).toEqual([]);
    logger.debugLogger.enabled = true;
    logger.debug('response', costly);
    expect(formatted).toBe(1);
    expect(lines.join('\n')).toContain('inspected 1');
  });
});
