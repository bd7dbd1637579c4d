import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../lib/sync/errors';
import {
  discardDeadLetter,
  getDeadLetter,
  listDeadLetters,
  replayAll,
  replayDeadLetter,
  DeadLetterInputError,
  DeadLetterNotFoundError,
} from '../../lib/sync/dead-letters';
import { runUnit } from '../../lib/sync/run-unit';
import { createHarness, createOrderFlow, seedOrder } from './harness';

describe('dead letters', () => {
  it('Given an order with an unknown SKU, When it is dead-lettered, Then the summary names the field and the payloads are kept (card numbers masked)', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '600000001', { items: [{ sku: 'SKU-1', qty: 1 }, { sku: 'NOPE', qty: 2 }], email: 'pan 4111111111111111@example.com' });
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '600000001', trigger: 'event', eventId: 'e-d1' }, h.deps);
    expect(outcome.outcome).toBe('dead-lettered');
    const [summary] = await listDeadLetters({ flow: 'order', status: 'open' }, h.deps);
    expect(summary).toMatchObject({ flow: 'order', key: '600000001', field: 'items.1.sku', reason: 'terminal', system: 'heartland', attempts: 1, status: 'open' });
    const detail = await getDeadLetter(summary.id, h.deps);
    expect(detail.payload?.source).toMatchObject({ increment_id: '600000001' });
    expect(JSON.stringify(detail.payload)).not.toContain('4111111111111111');
    expect(detail.payload?.mapped).toBeNull(); // mapping itself failed
    expect(detail.payload?.error.field).toBe('items.1.sku');
  });

  it('Given the SKU is then created in Heartland, When the dead letter is replayed (twice), Then the ticket is created once and the letter is marked replayed', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '600000002', { items: [{ sku: 'NEW-SKU', qty: 1 }] });
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '600000002', trigger: 'event', eventId: 'e-d2' }, h.deps);
    const [summary] = await listDeadLetters({ status: 'open' }, h.deps);

    h.heartland.skus.add('NEW-SKU');
    const replay = await replayDeadLetter(summary.id, h.deps);
    expect(replay).toMatchObject({ outcome: 'done', action: 'created', correlationId: summary.correlationId });
    const again = await replayDeadLetter(summary.id, h.deps);
    expect(again).toMatchObject({ outcome: 'skipped', reason: 'duplicate' });
    expect(h.heartland.creates).toBe(1);
    expect((await getDeadLetter(summary.id, h.deps)).summary).toMatchObject({ status: 'replayed', replayOutcome: 'skipped' });
    expect(await listDeadLetters({ status: 'open' }, h.deps)).toEqual([]);
  });

  it('Given the write reached Heartland but the confirmation failed, When the fixed flow replays it, Then the existing ticket is updated, not duplicated', async () => {
    let confirmWorks = false;
    const h = createHarness({
      flows: [
        createOrderFlow({
          confirm: async () => {
            if (!confirmWorks) throw new TerminalError('Magento rejected the order comment', { system: 'commerce', field: 'comment' });
          },
        }),
      ],
    });
    seedOrder(h.commerce, '600000003');
    const first = await runUnit(h.registry.flow('order'), { flow: 'order', key: '600000003', trigger: 'event', eventId: 'e-d3' }, h.deps);
    expect(first.outcome).toBe('dead-lettered');
    expect(h.heartland.creates).toBe(1);

    confirmWorks = true;
    const { results, notAttempted } = await replayAll({ flow: 'order' }, h.deps);
    expect(notAttempted).toEqual([]);
    expect(results).toEqual([expect.objectContaining({ outcome: 'done' })]);
    expect(h.heartland.creates).toBe(1);
    expect(h.heartland.updates).toBe(1);
  });

  it('replayAll honours a filter, discard needs a reason, and unknown or malformed ids are clear errors', async () => {
    const h = createHarness();
    seedOrder(h.commerce, '600000004', { email: 'bad' });
    seedOrder(h.commerce, '600000005', { items: [{ sku: 'NOPE', qty: 1 }] });
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '600000004', trigger: 'poll' }, h.deps);
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '600000005', trigger: 'poll' }, h.deps);
    const open = await listDeadLetters({ status: 'open' }, h.deps);
    expect(open).toHaveLength(2);

    const { results } = await replayAll({ filter: (d) => d.field === 'customer_email' }, h.deps);
    expect(results).toHaveLength(1);
    expect(results[0].outcome).toBe('dead-lettered'); // still invalid: back to open

    const sku = open.find((d) => d.key === '600000005')!;
    await expect(discardDeadLetter(sku.id, ' ', h.deps)).rejects.toBeInstanceOf(DeadLetterInputError);
    const discarded = await discardDeadLetter(sku.id, 'test order, never shipped', h.deps);
    expect(discarded).toMatchObject({ status: 'discarded', discardReason: 'test order, never shipped' });
    await expect(replayDeadLetter(sku.id, h.deps)).rejects.toThrow(/discarded/);
    expect(await listDeadLetters({ status: 'discarded' }, h.deps)).toHaveLength(1);

    await expect(replayDeadLetter('order.0123456789abcdef01234567', h.deps)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
    await expect(replayDeadLetter('../etc/passwd', h.deps)).rejects.toMatchObject({ status: 400, field: 'id' });
    await expect(listDeadLetters({ flow: 'Bad Flow' }, h.deps)).rejects.toMatchObject({ status: 400, field: 'flow' });
  });
});
