/**
 * One contract for every StateStore: the in-memory store used by unit tests and the REAL
 * aio-lib-state client talking to the local state service. If they disagree, unit tests lie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateStore } from '../../lib/platform/ports';
import { createManualClock, createMemoryStateStore } from '../../lib/platform/memory';
import { createAioStateStore } from '../../lib/platform/state';
import { StateKeyError, StateTtlError, StateValueTooLargeError } from '../../lib/platform/state-rules';
import { parseStateKey, stateKey } from '../../lib/platform/state-key';
import { startStateService, type StateService } from '../../sandbox/state/server';

interface Harness {
  store(): StateStore;
  /** Lets `ms` of time pass for TTLs. */
  pass(ms: number): Promise<void>;
  /** Restarts the backing service on the same data; undefined when the store has no service. */
  restart?: () => Promise<void>;
  /** Writes many keys fast (1000+ puts one at a time through the real client would be slow for a unit test). */
  seed(keys: string[], ttlSeconds: number): Promise<void>;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

function memoryHarness(): Harness {
  const clock = createManualClock();
  const store = createMemoryStateStore(clock);
  return {
    store: () => store,
    pass: async (ms) => clock.advance(ms),
    seed: async (keys, ttlSeconds) => {
      for (const key of keys) await store.put(key, 1, { ttlSeconds });
    },
    setup: async () => {},
    teardown: async () => {},
  };
}

function aioHarness(): Harness {
  let dir = '';
  let service: StateService | undefined;
  let store: StateStore | undefined;
  const h: Harness = {
    store: () => store!,
    pass: (ms) => new Promise((r) => setTimeout(r, ms)),
    async seed(keys, ttlSeconds) {
      const auth = `Basic ${Buffer.from(process.env.__OW_API_KEY!).toString('base64')}`;
      for (let i = 0; i < keys.length; i += 150) {
        await Promise.all(
          keys.slice(i, i + 150).map(async (key) => {
            const res = await fetch(`${service!.url}/containers/${process.env.__OW_NAMESPACE}/data/${key}?ttl=${ttlSeconds}`, {
              method: 'PUT',
              headers: { authorization: auth, 'content-type': 'application/octet-stream' },
              body: '1',
            });
            if (res.status !== 200) throw new Error(`seed ${key}: ${res.status}`);
          }),
        );
      }
    },
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'hcc-state-contract-'));
      service = await startStateService({ dbFile: join(dir, 'state.db') });
      // Read by aio-lib-state at module load / init; the adapter imports it lazily, so setting them here is enough.
      process.env.AIO_STATE_ENDPOINT = service.url;
      process.env.__OW_NAMESPACE = '1234567-hcc-test';
      process.env.__OW_API_KEY = 'fake-user:fake-password';
      store = createAioStateStore();
    },
    async restart() {
      const port = service!.port;
      await service!.close();
      // Same port: aio-lib-state fixed its endpoint when it loaded.
      service = await startStateService({ dbFile: join(dir, 'state.db'), port });
    },
    async teardown() {
      await service?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of iterable) out.push(key);
  return out.sort();
}

describe.each([
  ['memory store', memoryHarness],
  ['aio-lib-state client + local state service', aioHarness],
] as const)('StateStore contract: %s', (_name, makeHarness) => {
  const h = makeHarness();
  beforeAll(() => h.setup());
  afterAll(() => h.teardown());

  it('round-trips JSON values of every shape', async () => {
    const store = h.store();
    const value = { id: 'o-1', lines: [{ sku: 'A', qty: 2 }], total: 10.5, paid: true, note: null, text: 'Grüße 🎁' };
    await store.put('rt.object', value, { ttlSeconds: 60 });
    await store.put('rt.string', 'plain', { ttlSeconds: 60 });
    await store.put('rt.number', 0, { ttlSeconds: 60 });
    await store.put('rt.null', null, { ttlSeconds: 60 });
    expect(await store.get('rt.object')).toEqual(value);
    expect(await store.get('rt.string')).toBe('plain');
    expect(await store.get('rt.number')).toBe(0);
    expect(await store.get('rt.null')).toBeNull();
  });

  it('answers undefined for a missing key', async () => {
    expect(await h.store().get('missing.key')).toBeUndefined();
  });

  it('overwrites a key', async () => {
    const store = h.store();
    await store.put('over.write', 1, { ttlSeconds: 60 });
    await store.put('over.write', 2, { ttlSeconds: 60 });
    expect(await store.get('over.write')).toBe(2);
  });

  it('expires a key after its TTL', async () => {
    const store = h.store();
    await store.put('ttl.short', 'soon gone', { ttlSeconds: 1 });
    await store.put('ttl.long', 'stays', { ttlSeconds: 60 });
    expect(await store.get('ttl.short')).toBe('soon gone');
    await h.pass(1_200);
    expect(await store.get('ttl.short')).toBeUndefined();
    expect(await store.get('ttl.long')).toBe('stays');
    expect(await collect(store.list('ttl.*'))).toEqual(['ttl.long']);
  });

  it('lists keys matching a glob', async () => {
    const store = h.store();
    for (const key of ['run.order.2026010100.a', 'run.order.2026010101.b', 'run.refund.2026010100.c', 'runorder.x']) {
      await store.put(key, { key }, { ttlSeconds: 60 });
    }
    expect(await collect(store.list('run.order.*'))).toEqual(['run.order.2026010100.a', 'run.order.2026010101.b']);
    expect(await collect(store.list('run.*.2026010100.*'))).toEqual(['run.order.2026010100.a', 'run.refund.2026010100.c']);
    expect(await collect(store.list('nothing.here.*'))).toEqual([]);
  });

  it('lists every matching key once across more than one page (1000+ keys)', async () => {
    const store = h.store();
    const keys = Array.from({ length: 1050 }, (_, i) => stateKey('seen', 'commerce', `evt-${i}`));
    await h.seed(keys, 60);
    expect(await store.get(keys[1049])).toBe(1);
    const listed = await collect(store.list('seen.commerce.*'));
    expect(listed).toEqual([...keys].sort());
  });

  it('refuses values over 1 MB with a typed error naming key and size, before storing anything', async () => {
    const store = h.store();
    await store.put('size.fits', 'x'.repeat(1024 * 1024 - 2), { ttlSeconds: 60 });
    expect(((await store.get<string>('size.fits')) ?? '').length).toBe(1024 * 1024 - 2);
    const error = await store.put('size.big', { blob: 'x'.repeat(1024 * 1024) }, { ttlSeconds: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateValueTooLargeError);
    expect((error as StateValueTooLargeError).key).toBe('size.big');
    expect((error as StateValueTooLargeError).bytes).toBe(1024 * 1024 + 11);
    expect((error as Error).message).toMatch(/size\.big.*1048587 bytes/);
    expect(await store.get('size.big')).toBeUndefined();
  });

  it('refuses invalid keys and TTLs with typed errors', async () => {
    const store = h.store();
    await expect(store.put('SKU 12/β', 1, { ttlSeconds: 60 })).rejects.toThrow(StateKeyError);
    await expect(store.get('a:b')).rejects.toThrow(/stateKey\(/);
    await expect(store.put('ok.key', 1, { ttlSeconds: 0 })).rejects.toThrow(StateTtlError);
    await expect(store.put('ok.key', 1, { ttlSeconds: 366 * 86400 })).rejects.toThrow(StateTtlError);
    expect(() => store.list('bad/pattern*')).toThrow(StateKeyError);
  });

  it('round-trips ids encoded with stateKey()', async () => {
    const store = h.store();
    const key = stateKey('link', 'product', 'heartland', 'SKU 12/β.x_y');
    await store.put(key, { commerceId: 42 }, { ttlSeconds: 60 });
    expect(await store.get(key)).toEqual({ commerceId: 42 });
    const listed = await collect(store.list('link.product.heartland.*'));
    expect(listed).toEqual([key]);
    expect(parseStateKey(listed[0])).toEqual(['link', 'product', 'heartland', 'SKU 12/β.x_y']);
  });

  it('deletes idempotently', async () => {
    const store = h.store();
    await store.put('del.me', 1, { ttlSeconds: 60 });
    await store.delete('del.me');
    await store.delete('del.me');
    await store.delete('del.never-existed');
    expect(await store.get('del.me')).toBeUndefined();
  });

  it.skipIf(makeHarness === memoryHarness)('keeps data across a service restart on the same database file', async () => {
    await h.store().put('durable.cursor', { since: '2026-01-01T00:00:00Z' }, { ttlSeconds: 3600 });
    await h.restart!();
    expect(await h.store().get('durable.cursor')).toEqual({ since: '2026-01-01T00:00:00Z' });
  });
});
