import { describe, expect, it } from 'vitest';
import { createManualClock, createMemoryStateStore } from '../../lib/platform/memory';
import { CURRENT_MAPPING_KEY, createMappingRepository, MAPPING_TTL_SECONDS, mappingVersionKey } from '../../lib/mapping/repository';
import type { StateStore } from '../../lib/platform/ports';

const paymentOverride = (id: number) => ({ valueMaps: { 'payment.method.commerceToHeartland': { entries: { checkmo: id } } } });

function recordingState(inner: StateStore) {
  const puts: Array<{ key: string; ttl: number }> = [];
  const state: StateStore = { ...inner, get: inner.get.bind(inner), delete: inner.delete.bind(inner), list: inner.list.bind(inner), put: async (key, value, options) => { puts.push({ key, ttl: options.ttlSeconds }); return inner.put(key, value, options); } };
  return { state, puts };
}

describe('mapping repository', () => {
  it('runs on defaults before anything is saved', async () => {
    const repo = createMappingRepository(createMemoryStateStore());
    const active = await repo.active();
    expect(active.version).toBeNull();
    expect(active.effective.valueMaps['payment.method.commerceToHeartland'].entries.checkmo).toBe('Check / Money order');
    expect(await repo.history()).toEqual([]);
  });

  it('saves versions under cfg.mapping.<n> and cfg.mapping.current with a 365 day TTL', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const { state, puts } = recordingState(createMemoryStateStore(clock));
    const repo = createMappingRepository(state, { clock });
    const first = await repo.save(paymentOverride(100010), { author: 'ana@example.com', note: 'map check payments' });
    expect(first).toMatchObject({ ok: true, version: 1 });
    clock.advance(60_000);
    expect(await repo.save(paymentOverride(100011))).toMatchObject({ ok: true, version: 2 });
    expect(puts.map((p) => p.key)).toEqual(['cfg.mapping.1', 'cfg.mapping.current', 'cfg.mapping.2', 'cfg.mapping.current']);
    expect(puts.every((p) => p.ttl === MAPPING_TTL_SECONDS)).toBe(true);
    expect(CURRENT_MAPPING_KEY).toBe('cfg.mapping.current');
    expect(mappingVersionKey(2)).toBe('cfg.mapping.2');
    const active = await repo.active();
    expect(active.version).toBe(2);
    expect(active.effective.valueMaps['payment.method.commerceToHeartland'].entries).toMatchObject({ checkmo: 100011, banktransfer: 'Bank Transfer' });
    expect(await repo.history()).toEqual([
      { version: 2, savedAt: '2026-01-01T00:01:00.000Z', author: null, note: null, rolledBackFrom: null },
      { version: 1, savedAt: '2026-01-01T00:00:00.000Z', author: 'ana@example.com', note: 'map check payments', rolledBackFrom: null },
    ]);
    expect((await repo.get(1))?.document.valueMaps['payment.method.commerceToHeartland'].entries.checkmo).toBe(100010);
  });

  it('rolls back by saving the old document as a new version', async () => {
    const repo = createMappingRepository(createMemoryStateStore());
    await repo.save(paymentOverride(1));
    await repo.save(paymentOverride(2));
    const back = await repo.rollback(1, { author: 'ana' });
    expect(back).toMatchObject({ ok: true, version: 3, info: { rolledBackFrom: 1, note: 'rollback to version 1', author: 'ana' } });
    expect((await repo.effective()).valueMaps['payment.method.commerceToHeartland'].entries.checkmo).toBe(1);
    expect((await repo.history()).map((h) => h.version)).toEqual([3, 2, 1]);
    expect(await repo.rollback(9)).toEqual({ ok: false, issues: [{ path: 'version', message: 'no stored mapping version 9' }] });
  });

  it('rejects invalid documents with the path of each fault and stores nothing', async () => {
    const store = createMemoryStateStore();
    const repo = createMappingRepository(store);
    const bad = { entities: { order: { toHeartland: { rules: [{ kind: 'copy', target: 'a', source: 'b' }, { kind: 'copy', target: 'x' }, { kind: 'lookup', target: 'y', source: 'z', map: 'missing' }] } } } };
    const r = await repo.save(bad);
    expect(r).toEqual({ ok: false, issues: [{ path: 'entities.order.toHeartland.rules[1].source', message: 'required' }] });
    const r2 = await repo.save({ entities: { order: { toHeartland: { rules: [{ kind: 'lookup', target: 'y', source: 'z', map: 'missing' }] } } } });
    expect(r2).toEqual({ ok: false, issues: [{ path: 'entities.order.toHeartland.rules[0].map', message: 'no value map named "missing"' }] });
    expect(store.size()).toBe(0);
    expect(repo.validate({ options: { abbreviateStreets: 'yes' } })).toEqual({ ok: false, issues: [{ path: 'options.abbreviateStreets', message: 'expected true or false, got "yes"' }] });
  });

  it('rewrites the keys it reads after 30 days so a mapping in use never expires', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const { state, puts } = recordingState(createMemoryStateStore(clock));
    const repo = createMappingRepository(state, { clock });
    await repo.save(paymentOverride(7));
    clock.advance(31 * 24 * 3600 * 1000);
    puts.length = 0;
    await repo.active();
    expect(puts.map((p) => p.key)).toEqual(['cfg.mapping.1', 'cfg.mapping.current']);
    puts.length = 0;
    await repo.active();
    expect(puts).toEqual([]);
    clock.advance(340 * 24 * 3600 * 1000);
    expect((await repo.effective()).valueMaps['payment.method.commerceToHeartland'].entries.checkmo).toBe(7);
  });
});
