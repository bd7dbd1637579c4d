import { describe, expect, it } from 'vitest';
import { createSyncRegistry, defineFeed, defineFlow, defineJob, FlowDefinitionError } from '../../lib/sync/registry';
import { createOrderFlow } from './harness';

const minimal = {
  name: 'product',
  entity: 'product',
  direction: 'heartland-to-commerce' as const,
  upstreams: ['heartland', 'commerce'] as Array<'heartland' | 'commerce'>,
  load: async () => ({ id: 1 }),
  version: () => 1,
  map: (s: { id: number }) => s,
  write: async () => ({ targetId: '1', action: 'created' as const }),
};

describe('flow, feed and job definitions', () => {
  it('derives source and target systems from the direction', () => {
    const flow = defineFlow(minimal);
    expect(flow).toMatchObject({ sourceSystem: 'heartland', targetSystem: 'commerce' });
    expect(Object.isFrozen(flow)).toBe(true);
  });

  it.each([
    ['name with a dot', { name: 'order.v2' }, /name/],
    ['upper-case entity', { entity: 'Order' }, /entity/],
    ['unknown direction', { direction: 'both' }, /direction/],
    ['no upstreams', { upstreams: [] }, /upstreams/],
    ['unknown upstream', { upstreams: ['shopify'] }, /upstreams/],
    ['missing write', { write: undefined }, /write/],
  ])('rejects a definition with %s', (_label, patch, message) => {
    expect(() => defineFlow({ ...minimal, ...(patch as object) } as never)).toThrow(message);
    expect(() => defineFlow({ ...minimal, ...(patch as object) } as never)).toThrow(FlowDefinitionError);
  });

  it('rejects reserved feed names, bad job hours and duplicate registrations', () => {
    expect(() => defineFeed({ name: 'retry-index', poll: async () => ({ units: [], nextCursor: '' }) })).toThrow(/reserved/);
    const plan = async () => [];
    const runChunk = async () => undefined;
    expect(() => defineJob({ name: 'nightly', hour: 24, plan, runChunk })).toThrow(/hour/);
    expect(() => createSyncRegistry({ flows: [createOrderFlow(), createOrderFlow()] })).toThrow(/already registered/);
    const registry = createSyncRegistry({ flows: [createOrderFlow()] });
    expect(() => registry.flow('missing')).toThrow(/unknown flow "missing"; registered: order/);
  });
});
