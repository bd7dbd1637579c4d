import { describe, expect, it } from 'vitest';
import { containerUnitGate, MAX_UNITS_IN_FLIGHT, MIN_UNITS_IN_FLIGHT, unitsInFlightFor } from '../../lib/sync/units-in-flight';
import { GATE_WAIT_EXPIRED, runRegisteredUnits } from '../../lib/sync/run-unit';
import { createHarness, seedOrder } from './harness';

describe('unitsInFlightFor', () => {
  it('is about a quarter of the per-second request limit, within bounds', () => {
    expect(unitsInFlightFor(5)).toBe(MIN_UNITS_IN_FLIGHT);
    expect(unitsInFlightFor(40)).toBe(10);
    expect(unitsInFlightFor(100)).toBe(25);
    expect(unitsInFlightFor(1)).toBe(MIN_UNITS_IN_FLIGHT);
    expect(unitsInFlightFor(1_000)).toBe(MAX_UNITS_IN_FLIGHT);
  });

  it('falls back to the minimum for a limit that is not a positive number', () => {
    expect(unitsInFlightFor(0)).toBe(MIN_UNITS_IN_FLIGHT);
    expect(unitsInFlightFor(Number.NaN)).toBe(MIN_UNITS_IN_FLIGHT);
    expect(unitsInFlightFor(-3)).toBe(MIN_UNITS_IN_FLIGHT);
  });
});

describe('containerUnitGate', () => {
  it('is one gate per name for the container, resized in place', () => {
    const a = containerUnitGate('test-gate-resize', 3);
    expect(containerUnitGate('test-gate-resize', 3)).toBe(a);
    expect(containerUnitGate('test-gate-resize', 5)).toBe(a);
    expect(a.concurrency).toBe(5);
    expect(containerUnitGate('test-gate-other', 2)).not.toBe(a);
  });

  /** Two activations' batches at once, each allowed 4 units; counts loads running at the same time. */
  async function burst(gate?: ReturnType<typeof containerUnitGate>) {
    const h = createHarness();
    const ids = Array.from({ length: 12 }, (_, i) => String(800_000_100 + i));
    ids.forEach((id) => seedOrder(h.commerce, id));
    const read = h.commerce.getOrder.bind(h.commerce);
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    h.commerce.getOrder = async (id: string) => {
      started.push(id);
      peak = Math.max(peak, ++running);
      try {
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        return await read(id);
      } finally {
        running--;
      }
    };
    const batch = (keys: string[]) => runRegisteredUnits(keys.map((key) => ({ flow: 'order', key, trigger: 'event' as const })), h.deps, { concurrency: 4, ...(gate ? { gate } : {}) });
    const outcomes = (await Promise.all([batch(ids.slice(0, 6)), batch(ids.slice(6))])).flat();
    return { outcomes, peak, started, creates: h.heartland.creates };
  }

  it('caps units in flight across concurrent batches; every unit still runs, in arrival order', async () => {
    const ungated = await burst();
    expect(ungated.peak).toBeGreaterThan(2); // the cap below is what limits it

    const gated = await burst(containerUnitGate('test-gate-burst', 2));
    expect(gated.peak).toBeLessThanOrEqual(2);
    expect(gated.outcomes.map((o) => o.outcome)).toEqual(Array(12).fill('done'));
    expect(gated.creates).toBe(12);
    // FIFO: the gate hands out slots in the order units asked (each batch's first four, interleaved).
    expect(gated.started.slice(0, 2)).toEqual(['800000100', '800000101']);
  });

  it('schedules a unit for later, without trying it, when its activation has too little time left by the time it gets a slot', async () => {
    const h = createHarness({ options: { minTryBudgetMs: 5_000 } });
    seedOrder(h.commerce, '800000200');
    seedOrder(h.commerce, '800000201');
    const gate = containerUnitGate('test-gate-deadline', 1);
    const unit = (key: string) => ({ flow: 'order', key, trigger: 'event' as const });

    h.deps.deadlineMs = h.clock.now() + 60_000;
    const [onTime] = await runRegisteredUnits([unit('800000200')], h.deps, { gate });
    expect(onTime!.outcome).toBe('done');

    h.deps.deadlineMs = h.clock.now() + 3_000;
    const reads = h.commerce.reads;
    const [late] = await runRegisteredUnits([unit('800000201')], h.deps, { gate });
    expect(late).toMatchObject({ outcome: 'retry-scheduled', reason: GATE_WAIT_EXPIRED, nextAttempt: 1 });
    expect(h.commerce.reads).toBe(reads); // not tried
    expect(h.heartland.creates).toBe(1);

    // Without a gate the batch behaves as before: the unit is tried.
    const [ungated] = await runRegisteredUnits([unit('800000201')], h.deps);
    expect(ungated!.outcome).toBe('done');
  });
});
