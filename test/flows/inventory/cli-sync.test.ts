/** `hcc sync <flow> [--full]` runs the flow's feed or job through the scheduler's code path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync, SyncUsageError } from '../../../lib/cli/commands/sync';
import { startInventoryEnv, magentoQuantities, type InventoryEnv } from './harness';

let env: InventoryEnv;
beforeAll(async () => {
  env = await startInventoryEnv({ items: 12 });
}, 30_000);
afterAll(() => env?.close());

describe('hcc sync', () => {
  it('inventory --full --here: plans the reconciliation job, runs its chunks in this process and follows it to the end', async () => {
    const seen: string[] = [];
    const result = await runSync(env.deps, 'inventory', { full: true, here: true, pollMs: 20 }, (p) => seen.push(p.status));
    expect(result).toMatchObject({ kind: 'job', job: 'inventory-full', status: 'done', failed: 0 });
    expect(seen.at(-1)).toBe('done');
    const skus: string[] = [];
    for await (const it of env.heartland.items.iterate({})) skus.push(it.public_id!);
    expect((await magentoQuantities(env, skus)).size).toBe(12 * 3);
  });

  it('inventory: one pass of the ledger feed picks up an adjustment', async () => {
    const item = (await env.heartland.items.iterate({ perPage: 1 }).next()).value!;
    const reason = (await env.heartland.inventory.reasonCodes())[0].id;
    await env.heartland.inventory.adjust({ location_id: env.locations[0], adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: 9 }] });
    const result = await runSync(env.deps, 'inventory');
    expect(result).toMatchObject({ kind: 'feed', feed: 'inventory', units: 1, outcomes: { done: 1 } });
    const value = (await env.heartland.inventory.getValues([item.id], [env.locations[0]]))[0];
    expect((await magentoQuantities(env, [item.public_id!])).get(`${item.public_id}|${env.sources[0]}`)?.quantity).toBe(value.qty_available);
    expect(await runSync(env.deps, 'inventory')).toMatchObject({ units: 0 });
  });

  it('the nightly reconciliation starts at the merchant\'s settings.schedules.nightlyHourUtc', async () => {
    const { startDueNightlyJobs } = await import('../../../lib/sync/jobs');
    const { saveConnectorSettings } = await import('../../../lib/config/connector-settings');
    await saveConnectorSettings(env.platform.state, { schedules: { nightlyHourUtc: 5 } });
    expect(await startDueNightlyJobs(env.deps, Date.UTC(2026, 10, 27, 4, 59))).toEqual([]);
    expect(await startDueNightlyJobs(env.deps, Date.UTC(2026, 10, 27, 5, 1))).toEqual(['inventory-full-20261127']);
  });

  it('names what exists when a flow has no feed or job', async () => {
    await expect(runSync(env.deps, 'payroll')).rejects.toThrow(SyncUsageError);
    await expect(runSync(env.deps, 'payroll', { full: true })).rejects.toThrow(/jobs: inventory-full/);
  });
});
