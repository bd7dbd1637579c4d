import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../lib/platform/http';
import { runUnit, UnitInputError } from '../../lib/sync/run-unit';
import { readRunRecords } from '../../lib/sync/run-records';
import { hourLabel } from '../../lib/sync/time-keys';
import { breakerKey } from '../../lib/sync/breaker';
import { versionKey } from '../../lib/sync/version-guard';
import { linkKey } from '../../lib/sync/links';
import type { RunRecord } from '../../lib/sync/types';
import { createHarness, seedOrder } from './harness';

const unavailable = () => new UpstreamError({ system: 'heartland', status: 503, method: 'GET', url: 'http://hl/tickets', message: 'heartland GET /tickets → 503: down' });

describe('runUnit', () => {
  it('Given a new web order, When its event runs, Then one ticket is created and the run is recorded with timings and correlation id', async () => {
    const h = createHarness();
    const scopes: string[] = [];
    const commerce = h.deps.clients!.commerce!;
    h.deps.clients = { ...h.deps.clients, commerce: (scope) => (scopes.push(scope.correlationId), commerce(scope)) };
    seedOrder(h.commerce, '100000001');
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000001', trigger: 'event', eventId: 'evt-1', correlationId: 'corr-1' }, h.deps);

    expect(outcome).toMatchObject({ outcome: 'done', targetId: 'T1', action: 'created', correlationId: 'corr-1', version: '2026-11-28 06:00:00' });
    expect(h.heartland.creates).toBe(1);
    const runs = await readRunRecords(h.state, 'order', hourLabel(h.clock.now()));
    expect(runs).toHaveLength(1);
    const run = runs[0] as RunRecord;
    expect(run).toMatchObject({ outcome: 'done', correlationId: 'corr-1', attempt: 1, tries: 1, trigger: 'event', eventId: 'evt-1' });
    expect(Object.keys(run.steps)).toEqual(expect.arrayContaining(['dedup', 'lease', 'load', 'map', 'filter', 'validate', 'guard', 'write', 'link']));
    // Links both ways, the target side with the fingerprint of what was written.
    expect(await h.state.get(linkKey('order', 'commerce', '100000001'))).toMatchObject({ system: 'heartland', id: 'T1' });
    expect(await h.state.get(linkKey('order', 'heartland', 'T1'))).toMatchObject({ system: 'commerce', id: '100000001', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await h.state.get(versionKey('order', 'commerce', '100000001'))).toMatchObject({ version: '2026-11-28 06:00:00' });
    // Every log line of the unit carries its correlation id.
    const unitLines = h.logger.lines.filter((l) => l.fields.flow === 'order');
    expect(unitLines.length).toBeGreaterThan(0);
    expect(unitLines.every((l) => l.fields.correlationId === 'corr-1')).toBe(true);
    // ...and so does the client the flow got, so requests can send it as a header.
    expect(scopes).toEqual(['corr-1']);
  });

  it('Given the same event delivered again later, When it runs, Then it is skipped as a duplicate without reading the source', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000002');
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000002', trigger: 'event', eventId: 'evt-2' }, h.deps);
    const reads = h.commerce.reads;
    const again = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000002', trigger: 'event', eventId: 'evt-2' }, h.deps);
    expect(again).toMatchObject({ outcome: 'skipped', reason: 'duplicate' });
    expect(h.commerce.reads).toBe(reads);
    expect(h.heartland.creates).toBe(1);
  });

  it('Given two activations receive the same event at the same moment, When both run concurrently, Then exactly one ticket is created', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000003');
    const unit = { flow: 'order', key: '100000003', trigger: 'event' as const, eventId: 'evt-3' };
    const [a, b] = await Promise.all([runUnit(h.registry.flow('order'), unit, h.deps), runUnit(h.registry.flow('order'), unit, h.otherActivation())]);
    expect(h.heartland.creates).toBe(1);
    const outcomes = [a.outcome, b.outcome].sort();
    expect(outcomes).toEqual(['done', 'retry-scheduled']);
    const loser = a.outcome === 'retry-scheduled' ? a : b;
    expect(loser).toMatchObject({ reason: 'in progress in another activation', nextAttempt: 1 });
  });

  it('Given five copies of one event with the production lease settle time, When all run concurrently, Then exactly one ticket is created', async () => {
    const h = createHarness({ options: { leaseSettleMs: 150 } });
    seedOrder(h.commerce, '100000013');
    const unit = { flow: 'order', key: '100000013', trigger: 'event' as const, eventId: 'evt-13' };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => runUnit(h.registry.flow('order'), unit, h.otherActivation())));
    expect(h.heartland.creates).toBe(1);
    expect(outcomes.filter((o) => o.outcome === 'done')).toHaveLength(1);
  });

  it('Given a resend (manual trigger skips the stale guard), When the write looks up by reference, Then the second run updates instead of creating', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000004');
    const flow = h.registry.flow('order');
    await runUnit(flow, { flow: 'order', key: '100000004', trigger: 'manual' }, h.deps);
    await runUnit(flow, { flow: 'order', key: '100000004', trigger: 'manual' }, h.deps);
    expect(h.heartland.creates).toBe(1);
    expect(h.heartland.updates).toBe(1);
  });

  it('Given a newer version was applied, When a late event for an older version arrives, Then it is skipped as stale without a source read', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000005', { updated_at: '2026-11-28 06:30:00' });
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000005', trigger: 'event', eventId: 'e-new' }, h.deps);
    const reads = h.commerce.reads;
    const late = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000005', trigger: 'event', eventId: 'e-old', version: '2026-11-28 06:10:00' }, h.deps);
    expect(late).toMatchObject({ outcome: 'skipped', reason: 'stale' });
    expect(h.commerce.reads).toBe(reads);
    // The poll finds the same version with the same content: a redelivery, skipped without a write.
    const poll = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000005', trigger: 'poll' }, h.deps);
    expect(poll).toMatchObject({ outcome: 'skipped', reason: 'duplicate' });
    expect(h.heartland.creates + h.heartland.updates).toBe(1);
  });

  it('Given two changes within the same second (equal updated_at), When the second change arrives, Then it is written, not skipped as stale', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000015', { updated_at: '2026-11-28 06:30:00' });
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000015', trigger: 'event', eventId: 'e-a', version: '2026-11-28 06:30:00' }, h.deps);
    seedOrder(h.commerce, '100000015', { updated_at: '2026-11-28 06:30:00', items: [{ sku: 'SKU-2', qty: 3 }] });
    const second = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000015', trigger: 'event', eventId: 'e-b', version: '2026-11-28 06:30:00' }, h.deps);
    expect(second).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(h.heartland.tickets.get('100000015')?.data).toMatchObject({ lines: [{ item_public_id: 'SKU-2', qty: 3 }] });
  });

  it('Given two flows reading the same order, When one applied a newer version, Then the other still runs its older hint', async () => {
    const { createOrderFlow } = await import('./harness');
    const h = createHarness({ flows: [createOrderFlow(), createOrderFlow({ name: 'order-status' })] });
    seedOrder(h.commerce, '100000016', { updated_at: '2026-11-28 06:50:00' });
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000016', trigger: 'event', eventId: 'x1', version: '2026-11-28 06:50:00' }, h.deps);
    const other = await runUnit(h.registry.flow('order-status'), { flow: 'order-status', key: '100000016', trigger: 'event', eventId: 'x0', version: '2026-11-28 06:40:00' }, h.deps);
    expect(other.outcome).toBe('done');
  });

  it('Given a filter reason, When the order matches it, Then the unit is skipped as filtered', async () => {
    const { createOrderFlow } = await import('./harness');
    const h = createHarness({ flows: [createOrderFlow({ filterStatus: 'pending_payment' })] });
    seedOrder(h.commerce, '100000006', { status: 'pending_payment' });
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000006', trigger: 'poll' }, h.deps);
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'filtered', detail: 'status pending_payment is not synced' });
  });

  it('Given an order deleted at the source, When its event runs, Then it is skipped as not-found', async () => {
    const h = createHarness();
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: 'gone', trigger: 'event', eventId: 'e-gone' }, h.deps);
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'not-found' });
  });

  it('Given an invalid email, When the mapped ticket is validated, Then the unit is dead-lettered with the field path', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000007', { email: 'not-an-email' });
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000007', trigger: 'event', eventId: 'e7' }, h.deps);
    expect(outcome.outcome).toBe('dead-lettered');
    if (outcome.outcome !== 'dead-lettered') return;
    expect(outcome.error).toMatchObject({ retryable: false, reason: 'validation', field: 'customer_email' });
    expect(h.heartland.creates).toBe(0);
  });

  it('Given the upstream is down for a moment, When the first try fails with 503, Then the unit is retried in the same invocation and done', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000008');
    h.heartland.failures.push(unavailable());
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000008', trigger: 'event', eventId: 'e8' }, h.deps);
    expect(outcome).toMatchObject({ outcome: 'done' });
    const [run] = await readRunRecords(h.state, 'order', hourLabel(h.clock.now()));
    expect(run.tries).toBe(2);
  });

  it('Given the heartland breaker is open in another activation, When a unit arrives, Then it is scheduled without being tried and without using an attempt', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '100000009');
    await h.otherActivation().breakers!.trip('heartland', 'outage');
    expect(await h.state.get(breakerKey('heartland'))).toBeDefined();
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000009', trigger: 'event', eventId: 'e9' }, h.deps);
    expect(outcome).toMatchObject({ outcome: 'retry-scheduled', reason: 'circuit open: heartland', nextAttempt: 1 });
    expect(h.commerce.reads).toBe(0);
    expect(h.heartland.calls).toBe(0);
  });

  it('Given repeated 503s, When the breaker threshold is reached, Then later units are scheduled, not tried', async () => {
    const h = createHarness({ options: { triesPerAttempt: 1 } });
    for (let i = 0; i < 5; i++) seedOrder(h.commerce, `20000000${i}`);
    for (let i = 0; i < 3; i++) h.heartland.failures.push(unavailable());
    for (let i = 0; i < 3; i++) {
      const o = await runUnit(h.registry.flow('order'), { flow: 'order', key: `20000000${i}`, trigger: 'poll' }, h.deps);
      expect(o).toMatchObject({ outcome: 'retry-scheduled', nextAttempt: 2 });
    }
    const callsBefore = h.heartland.calls;
    const o = await runUnit(h.registry.flow('order'), { flow: 'order', key: '200000003', trigger: 'poll' }, h.deps);
    expect(o).toMatchObject({ outcome: 'retry-scheduled', nextAttempt: 1 });
    expect(o.outcome === 'retry-scheduled' && o.reason).toMatch(/circuit open/);
    expect(h.heartland.calls).toBe(callsBefore);
    // The open state is shared through state for other activations.
    expect(await h.state.get(breakerKey('heartland'))).toMatchObject({ reason: expect.stringContaining('503') });
  });

  it('Given a malformed unit, When runUnit is called, Then it throws a 400-style error naming the field', async () => {
    const h = createHarness();
    await expect(runUnit(h.registry.flow('order'), { flow: 'order', key: '', trigger: 'event' }, h.deps)).rejects.toMatchObject({
      name: 'UnitInputError',
      status: 400,
      field: 'key',
    });
    await expect(runUnit(h.registry.flow('order'), { flow: 'order', key: 'x', trigger: 'sometimes' as never }, h.deps)).rejects.toBeInstanceOf(UnitInputError);
    await expect(runUnit(h.registry.flow('order'), { flow: 'order', key: 'ü'.repeat(300), trigger: 'event' }, h.deps)).rejects.toMatchObject({ status: 400, field: 'key' });
    await expect(runUnit(h.registry.flow('order'), { flow: 'order-status', key: 'x', trigger: 'event' }, h.deps)).rejects.toMatchObject({ status: 400, field: 'flow' });
  });
});

describe('breaker-wrapped clients', () => {
  it('keep working for class instances with private fields and getters', async () => {
    const { createCircuitBreakers } = await import('../../lib/sync/breaker');
    const { createMemoryStateStore } = await import('../../lib/platform/memory');
    const { createTestClock } = await import('./harness');
    class Client {
      #calls = 0;
      get calls() {
        return this.#calls;
      }
      async fetchItem(id: string) {
        this.#calls++;
        return { id };
      }
      describe() {
        return `client with ${this.#calls} calls`;
      }
    }
    const clock = createTestClock();
    const breakers = createCircuitBreakers({ state: createMemoryStateStore(clock), clock });
    const wrapped = breakers.wrap('heartland', new Client());
    expect(await wrapped.fetchItem('A')).toEqual({ id: 'A' });
    expect(wrapped.calls).toBe(1);
    expect(wrapped.describe()).toBe('client with 1 calls');
    await breakers.trip('heartland', 'maintenance');
    expect(() => wrapped.fetchItem('B')).toThrow(/heartland circuit open/);
    expect(wrapped.calls).toBe(1);
  });
});

describe('shared breaker view', () => {
  it('reads breaker.<upstream> once for units that ask at the same moment, and again after the cache time', async () => {
    const { createCircuitBreakers } = await import('../../lib/sync/breaker');
    const { createMemoryStateStore } = await import('../../lib/platform/memory');
    const { createTestClock } = await import('./harness');
    const clock = createTestClock();
    const store = createMemoryStateStore(clock);
    let reads = 0;
    const state = { ...store, get: <T>(key: string) => (reads++, store.get<T>(key)) };
    const breakers = createCircuitBreakers({ state, clock, sharedCacheMs: 2_000 });
    await store.put(breakerKey('heartland'), { openedAt: clock.now(), openUntil: clock.now() + 60_000, reason: 'elsewhere' }, { ttlSeconds: 61 });
    const answers = await Promise.all([1, 2, 3, 4].map(() => breakers.openUntil('heartland')));
    expect(reads).toBe(1);
    expect(answers).toEqual(Array(4).fill(clock.now() + 60_000));
    await store.delete(breakerKey('heartland'));
    clock.advance(2_000);
    expect(await breakers.openUntil('heartland')).toBeUndefined();
    expect(reads).toBe(2);
  });
});

describe('runRegisteredUnits', () => {
  it('runs a batch through the registered flows and returns one outcome per unit', async () => {
    const { runRegisteredUnits } = await import('../../lib/sync/run-unit');
    const h = createHarness();
    ['800000001', '800000002', '800000003'].forEach((id) => seedOrder(h.commerce, id));
    const outcomes = await runRegisteredUnits(
      ['800000001', '800000002', '800000003', '800000001'].map((key, i) => ({ flow: 'order', key, trigger: 'event' as const, eventId: `b-${key}` , correlationId: `c${i}` })),
      h.deps,
      { concurrency: 2 },
    );
    expect(outcomes.map((o) => o.correlationId)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(h.heartland.creates).toBe(3);
    await expect(runRegisteredUnits([{ flow: 'nope', key: 'x', trigger: 'event' }], h.deps)).rejects.toMatchObject({ status: 404 });
  });
});
