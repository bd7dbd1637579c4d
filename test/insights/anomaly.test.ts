import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AnomalyAlreadyDecidedError,
  AnomalyNotFoundError,
  countPerBucket,
  createAnomalyRepository,
  evaluatePriceChanges,
  evaluateStockBatch,
  judgeValue,
  median,
  medianAbsoluteDeviation,
  modifiedZScore,
  robustBaseline,
  scanSeries,
  SERIES_DEFAULTS,
  stockKey,
} from '../../lib/insights/anomaly';
import { createMemoryFileStore, createMemoryStateStore } from '../../lib/platform/memory';
import type { Clock } from '../../lib/platform/ports';

describe('robust statistics', () => {
  it('median, MAD and modified z-score', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    const baseline = robustBaseline([1, 1, 2, 2, 4, 6, 9]);
    expect(modifiedZScore(9, baseline)).toBeCloseTo((0.6745 * 7) / 1, 6);
    expect(() => median([])).toThrow(RangeError);
  });

  it('falls back to the mean absolute deviation when most values are equal', () => {
    const flat = robustBaseline([5, 5, 5, 5, 5, 5, 9]);
    expect(flat.mad).toBe(0);
    expect(Number.isFinite(modifiedZScore(9, flat))).toBe(true);
    expect(modifiedZScore(5, robustBaseline([5, 5, 5]))).toBe(0);
    expect(modifiedZScore(6, robustBaseline([5, 5, 5]))).toBe(Number.POSITIVE_INFINITY);
  });

  it('one outlier in the window barely moves the median (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 10, max: 100, noNaN: true }), { minLength: 21, maxLength: 60 }), fc.double({ min: 1e4, max: 1e9, noNaN: true }), (values, outlier) => {
        const m = median([...values, outlier]);
        return m >= Math.min(...values) && m <= Math.max(...values);
      }),
    );
  });
});

describe('series', () => {
  it('stays quiet while warming up and explains why', () => {
    const verdict = judgeValue([10, 11], 1000, SERIES_DEFAULTS.order_total);
    expect(verdict).toMatchObject({ anomalous: false, score: null });
    expect(verdict.explanation).toBe('warming up: 2/20 values seen');
  });

  it('flags an order at 30× the median and says how far out it is', () => {
    const totals = Array.from({ length: 40 }, (_, i) => 60 + ((i * 37) % 50));
    const flagged = scanSeries('order_total', [...totals, median(totals) * 30]);
    expect(flagged.map((f) => f.index)).toEqual([40]);
    expect(flagged[0].verdict.explanation).toMatch(/\(30× the median\).*unusual$/);
  });

  it('needs a material change: 0 → 1 errors in a quiet hour is not an incident', () => {
    expect(scanSeries('error_rate', [...new Array(30).fill(0), 0.05])).toEqual([]);
    expect(scanSeries('error_rate', [...new Array(30).fill(0.01), 0.6]).map((f) => f.index)).toEqual([30]);
  });

  it('order rate drops count (both directions)', () => {
    const rate = [...Array.from({ length: 30 }, (_, i) => 20 + (i % 5)), 0];
    expect(scanSeries('order_rate', rate).map((f) => f.index)).toEqual([30]);
  });

  it('latency drops are good news, not anomalies', () => {
    const latency = Array.from({ length: 40 }, (_, i) => 200 + (i % 7) * 10);
    expect(scanSeries('latency', [...latency, 20])).toEqual([]);
    expect(scanSeries('latency', [...latency, 5000]).map((f) => f.index)).toEqual([40]);
  });

  it('counts orders per bucket, empty buckets included', () => {
    expect(countPerBucket([0, 1, 5, 9, 25], 0, 30, 10)).toEqual([4, 0, 1]);
    expect(() => countPerBucket([], 10, 0, 5)).toThrow(RangeError);
  });
});

describe('wipe guard', () => {
  const catalog = (n: number, qty = 10) => new Map(Array.from({ length: n }, (_, i) => [stockKey(`SKU-${i}`, 'default'), qty] as [string, number]));

  it('holds a batch zeroing 40% of SKUs, with evidence', () => {
    const previous = catalog(50);
    const next = new Map([...previous].slice(0, 20).map(([k]) => [k, 0] as [string, number]));
    const verdict = evaluateStockBatch({ previous, next, thresholds: { maxSkuShare: 0.2, maxUnitShare: 0.5 } });
    expect(verdict.hold).toBe(true);
    expect(verdict.reasons[0]).toBe('20 of 50 stocked SKUs (40%) would go to zero; the limit is 20%');
    expect(verdict.evidence).toMatchObject({ stockedBefore: 50, zeroed: 20, zeroedShare: 0.4, unitsBefore: 500, unitsAfter: 300 });
    expect(verdict.evidence.zeroedSample[0]).toEqual({ sku: 'SKU-0', source: 'default', before: 10 });
  });

  it('holds a batch that takes away more than half the units without zeroing anything', () => {
    const previous = catalog(10, 100);
    const next = new Map([...previous].map(([k]) => [k, 40] as [string, number]));
    const verdict = evaluateStockBatch({ previous, next });
    expect(verdict.hold).toBe(true);
    expect(verdict.reasons).toEqual(['total units would drop from 1000 to 400 (−60%); the limit is 50%']);
  });

  it('lets ordinary sales through, treats missing pairs as unchanged and new pairs as additions', () => {
    const previous = catalog(50);
    const next = new Map<string, number>([[stockKey('SKU-1', 'default'), 0], [stockKey('SKU-2', 'default'), 9], [stockKey('NEW', 'default'), 5]]);
    expect(evaluateStockBatch({ previous, next })).toMatchObject({ hold: false, reasons: [] });
  });

  it('does not call 1 of 3 SKUs selling out a wipe (minimum population)', () => {
    const previous = catalog(3, 2);
    expect(evaluateStockBatch({ previous, next: new Map([[stockKey('SKU-0', 'default'), 0]]) }).hold).toBe(false);
  });

  it('exactly at the limit is not over it', () => {
    const previous = catalog(10);
    const next = new Map([...previous].slice(0, 2).map(([k]) => [k, 0] as [string, number]));
    expect(evaluateStockBatch({ previous, next }).hold).toBe(false);
  });

  it('rejects nonsense thresholds', () => {
    expect(() => evaluateStockBatch({ previous: new Map(), next: new Map(), thresholds: { maxSkuShare: 20 } })).toThrow(/maxSkuShare must be between 0 and 1/);
  });
});

describe('price changes', () => {
  it('flags changes beyond the threshold in either direction, ignoring pennies and new prices', () => {
    const findings = evaluatePriceChanges([
      { sku: 'A', previous: 100, next: 1 },
      { sku: 'B', previous: 100, next: 110 },
      { sku: 'C', previous: 20, next: 45 },
      { sku: 'D', previous: 0.5, next: 1.5 },
      { sku: 'E', previous: 0, next: 30 },
    ]);
    expect(findings.map((f) => f.sku)).toEqual(['A', 'C']);
    expect(findings[0].reason).toBe('price of A would go down from 100 to 1 (-99%); the limit is ±50%');
    expect(findings[0].change).toBe(-0.99);
  });
});

describe('anomaly records', () => {
  const setup = () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const clock: Clock = { now: () => now, sleep: async () => undefined };
    const state = createMemoryStateStore(clock);
    const files = createMemoryFileStore();
    const repo = createAnomalyRepository({ state, files, clock });
    return { repo, state, files, advance: (ms: number) => (now += ms) };
  };

  it('records with evidence, indexes by day, holds the flow until approved', async () => {
    const { repo, state, advance } = setup();
    const held = await repo.record({ kind: 'stock_wipe', flow: 'inventory', summary: '20 of 50 SKUs would go to zero', details: { zeroed: 20 }, hold: true, payload: { batch: [1, 2, 3] } });
    expect(held).toMatchObject({ kind: 'stock_wipe', flow: 'inventory', status: 'open', holds: true, detectedAt: '2026-03-01T10:00:00.000Z' });
    expect(held.id).toMatch(/^20260301100000-[a-z0-9]{8}$/);
    expect(await state.get(`anomaly.${held.id}`)).toEqual(held);
    expect((await repo.openHold('inventory'))?.id).toBe(held.id);
    expect(await repo.loadPayload(held.id)).toEqual({ details: { zeroed: 20 }, payload: { batch: [1, 2, 3] } });

    advance(60_000);
    const info = await repo.record({ kind: 'order_total', flow: 'order', summary: 'order 100000007 at 30× the median', details: {} });
    const recent = await repo.listRecent();
    expect(recent.map((a) => a.id)).toEqual([info.id, held.id]);
    expect((await repo.listRecent({ status: 'open', flow: 'order' })).map((a) => a.id)).toEqual([info.id]);

    advance(60_000);
    const approved = await repo.approve(held.id, { by: 'merchant@example.com', note: 'real clearance sale' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'merchant@example.com', note: 'real clearance sale', decidedAt: '2026-03-01T10:02:00.000Z' });
    expect(await repo.openHold('inventory')).toBeUndefined();
    await expect(repo.reject(held.id, { by: 'x' })).rejects.toBeInstanceOf(AnomalyAlreadyDecidedError);
    await expect(repo.approve('20260301100000-zzzzzzzz', { by: 'x' })).rejects.toBeInstanceOf(AnomalyNotFoundError);
    await expect(repo.approve('../etc', { by: 'x' })).rejects.toBeInstanceOf(AnomalyNotFoundError);
    await expect(repo.reject(info.id, { by: ' ' })).rejects.toThrow(/needs "by"/);
  });

  it.each([
    [{ kind: 'meteor', flow: 'inventory', summary: 's', details: {} }, /anomaly kind must be one of/],
    [{ kind: 'other', flow: 'Bad Flow!', summary: 's', details: {} }, /anomaly flow must be a flow name/],
    [{ kind: 'other', flow: 'order', summary: ' ', details: {} }, /summary must say what was found/],
    [{ kind: 'other', flow: 'order', summary: 's', details: null }, /details must be an object/],
  ])('rejects a malformed record naming the field (%#)', async (input, message) => {
    const { repo } = setup();
    await expect(repo.record(input as never)).rejects.toThrow(message);
  });

  it('a held payload needs a FileStore', async () => {
    const repo = createAnomalyRepository({ state: createMemoryStateStore() });
    await expect(repo.record({ kind: 'stock_wipe', flow: 'inventory', summary: 's', details: {}, hold: true, payload: [] })).rejects.toThrow(/need a FileStore/);
  });

  it('keeps records and index for 90 days', async () => {
    const { repo, advance } = setup();
    const a = await repo.record({ kind: 'latency', flow: 'order', summary: 's', details: {} });
    advance(89 * 86_400_000);
    expect(await repo.get(a.id)).toBeDefined();
    expect((await repo.listRecent({ days: 90 })).map((x) => x.id)).toEqual([a.id]);
    advance(2 * 86_400_000);
    expect(await repo.get(a.id)).toBeUndefined();
  });

  it('moves large evidence to the FileStore', async () => {
    const { repo } = setup();
    const big = { rows: Array.from({ length: 5000 }, (_, i) => ({ sku: `SKU-${i}`, before: 10, after: 0 })) };
    const a = await repo.record({ kind: 'stock_wipe', flow: 'inventory', summary: 'big', details: big });
    expect(a.details).toEqual({ truncated: true, note: `full details in anomalies/${a.id}.json` });
    expect((await repo.loadPayload(a.id))?.details).toEqual(big);
  });

  it('a lost index append is repaired by rebuildIndex (the nightly job)', async () => {
    const { repo, state } = setup();
    const a = await repo.record({ kind: 'other', flow: 'customer', summary: 'a', details: {} });
    await state.put('anomaly.day.20260301', [], { ttlSeconds: 3600 });
    expect(await repo.listRecent()).toEqual([]);
    expect(await repo.rebuildIndex()).toEqual({ indexed: 1 });
    expect((await repo.listRecent()).map((x) => x.id)).toEqual([a.id]);
  });

  it('concurrent records on the same day all end up indexed (re-read and jittered retry)', async () => {
    // A clock whose sleep really waits, so the jitter separates the writers as it does in production.
    const clock: Clock = { now: () => Date.parse('2026-03-01T10:00:00Z'), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    const repo = createAnomalyRepository({ state: createMemoryStateStore(clock), clock });
    const made = await Promise.all(Array.from({ length: 5 }, (_, i) => repo.record({ kind: 'other', flow: `f${i}`, summary: 's', details: {} })));
    expect((await repo.listRecent()).map((a) => a.id).sort()).toEqual(made.map((a) => a.id).sort());
  });
});
