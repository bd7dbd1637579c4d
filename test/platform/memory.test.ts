import { describe, expect, it } from 'vitest';
import { createManualClock, createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../lib/platform/memory';
import { StateKeyError, StateTtlError, StateValueError, StateValueTooLargeError } from '../../lib/platform/state-rules';
import { FilePathError } from '../../lib/platform/file-path';

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('memory state store', () => {
  it('stores JSON copies, not references', async () => {
    const store = createMemoryStateStore();
    const value = { qty: 3, tags: ['a'] };
    await store.put('item.1', value, { ttlSeconds: 60 });
    value.tags.push('b');
    const read = await store.get<typeof value>('item.1');
    expect(read).toEqual({ qty: 3, tags: ['a'] });
    read!.qty = 99;
    expect(await store.get('item.1')).toEqual({ qty: 3, tags: ['a'] });
  });

  it('expires keys at their TTL on the given clock and counts only live keys', async () => {
    const clock = createManualClock(1_000_000);
    const store = createMemoryStateStore(clock);
    await store.put('a', 1, { ttlSeconds: 10 });
    await store.put('b', 2, { ttlSeconds: 20 });
    expect(store.size()).toBe(2);
    clock.advance(9_999);
    expect(await store.get('a')).toBe(1);
    clock.advance(1);
    expect(await store.get('a')).toBeUndefined();
    expect(store.size()).toBe(1);
    expect(await collect(store.list('*'))).toEqual(['b']);
  });

  it('lists with a * glob where dots and dashes are literal', async () => {
    const store = createMemoryStateStore();
    for (const key of ['run.order.1', 'run.order.2', 'run.orderX', 'runXorder.3', 'dlq.order.1']) {
      await store.put(key, true, { ttlSeconds: 60 });
    }
    expect(await collect(store.list('run.order.*'))).toEqual(['run.order.1', 'run.order.2']);
    expect(await collect(store.list('*.order.1'))).toEqual(['dlq.order.1', 'run.order.1']);
    expect(() => store.list('run/*')).toThrow(StateKeyError);
  });

  it.each([
    ['', StateKeyError],
    ['has space', StateKeyError],
    ['a:b', StateKeyError],
    ['x'.repeat(1025), StateKeyError],
  ])('rejects key %j', async (key, type) => {
    const store = createMemoryStateStore();
    await expect(store.put(key, 1, { ttlSeconds: 60 })).rejects.toThrow(type);
    await expect(store.get(key)).rejects.toThrow(/stateKey/);
  });

  it.each([0, -1, 1.5, 365 * 86400 + 1, Number.NaN, undefined])('rejects ttlSeconds %s', async (ttl) => {
    const store = createMemoryStateStore();
    await expect(store.put('k', 1, { ttlSeconds: ttl as number })).rejects.toThrow(StateTtlError);
  });

  it('enforces the 1 MB value limit on the JSON form, naming key and size', async () => {
    const store = createMemoryStateStore();
    await store.put('fits', 'x'.repeat(1024 * 1024 - 2), { ttlSeconds: 60 }); // plus 2 quotes = exactly 1 MiB
    const error = await store.put('big', 'x'.repeat(1024 * 1024 - 1), { ttlSeconds: 60 }).catch((e) => e);
    expect(error).toBeInstanceOf(StateValueTooLargeError);
    expect(error.message).toContain('"big"');
    expect(error.bytes).toBe(1024 * 1024 + 1);
    await expect(store.put('none', undefined, { ttlSeconds: 60 })).rejects.toThrow(StateValueError);
  });

  it('deletes idempotently', async () => {
    const store = createMemoryStateStore();
    await store.put('k', 1, { ttlSeconds: 60 });
    await store.delete('k');
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('manual clock', () => {
  it('resolves sleepers only when advanced past their due time, in order', async () => {
    const clock = createManualClock(0);
    const woke: string[] = [];
    void clock.sleep(200).then(() => woke.push('200'));
    void clock.sleep(100).then(() => woke.push('100'));
    clock.advance(99);
    await Promise.resolve();
    expect(woke).toEqual([]);
    clock.advance(150);
    await new Promise((r) => setImmediate(r));
    expect(woke).toEqual(['100', '200']);
    expect(clock.now()).toBe(249);
    clock.set(10);
    expect(clock.now()).toBe(10);
    await clock.sleep(0);
  });
});

describe('memory file store', () => {
  it('reads, lists recursively, deletes files and folders', async () => {
    const files = createMemoryFileStore();
    await files.write('dlq/order/1.json', '{"a":1}');
    await files.write('/dlq/order/2.json', Buffer.from('two'));
    await files.write('reports/x.csv', 'x');
    expect((await files.read('dlq/order/1.json'))?.toString()).toBe('{"a":1}');
    expect(await files.read('missing.json')).toBeUndefined();
    expect(await files.list('dlq/')).toEqual(['dlq/order/1.json', 'dlq/order/2.json']);
    expect(await files.list('dlq/order/2.json')).toEqual(['dlq/order/2.json']);
    expect(await files.list('')).toHaveLength(3);
    await files.delete('dlq/');
    await files.delete('dlq/');
    expect(await files.list('/')).toEqual(['reports/x.csv']);
  });

  it.each(['../etc/passwd', 'a/../../b', 'a\\b', '', 'dir/'])('refuses path %j for writes', async (path) => {
    await expect(createMemoryFileStore().write(path, 'x')).rejects.toThrow(FilePathError);
  });
});

describe('memory logger', () => {
  it('records redacted lines and merges child fields', () => {
    const logger = createMemoryLogger();
    const child = logger.child({ correlationId: 'c-1' });
    child.info('paid with 4111 1111 1111 1111', { apiKey: 'k', order: 7 });
    logger.debug('plain');
    expect(logger.lines).toEqual([
      { level: 'info', message: 'paid with **** **** **** 1111', fields: { correlationId: 'c-1', apiKey: '[redacted]', order: 7 } },
      { level: 'debug', message: 'plain', fields: {} },
    ]);
  });
});
