import { describe, expect, it } from 'vitest';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../lib/platform/memory';
import { createSyncRegistry, defineFlow } from '../../lib/sync/registry';
import { runUnit } from '../../lib/sync/run-unit';
import type { SyncDeps } from '../../lib/sync/types';
import { createRecordingInvoker, createTestClock } from './harness';

interface Customer {
  id: string;
  email: string;
  name: string;
  updated: number;
}

/** One customer store per system; `upsert` looks up by email (the external reference). */
function customerStore(prefix: string) {
  const byId = new Map<string, Customer>();
  let writes = 0;
  let clock = 0;
  return {
    byId,
    get writes() {
      return writes;
    },
    async get(id: string) {
      return byId.get(id) ? { ...byId.get(id)! } : undefined;
    },
    async upsert(data: { email: string; name: string }) {
      writes++;
      const existing = [...byId.values()].find((c) => c.email === data.email);
      const id = existing?.id ?? `${prefix}${byId.size + 1}`;
      byId.set(id, { id, ...data, updated: ++clock });
      return id;
    },
    edit(id: string, name: string) {
      const c = byId.get(id)!;
      byId.set(id, { ...c, name, updated: ++clock });
    },
  };
}
type Store = ReturnType<typeof customerStore>;

// Both directions compare the same shape: what the connector writes is { email, name }.
const shape = (c: Customer) => ({ email: c.email, name: c.name });

function customerFlow(name: string, direction: 'commerce-to-heartland' | 'heartland-to-commerce') {
  const [from, to] = direction === 'commerce-to-heartland' ? (['commerce', 'heartland'] as const) : (['heartland', 'commerce'] as const);
  return defineFlow<Customer, { email: string; name: string }>({
    name,
    entity: 'customer',
    direction,
    upstreams: [from, to],
    load: (unit, ctx) => (ctx.client(from) as unknown as Store).get(unit.key),
    version: (c) => c.updated,
    echo: shape,
    map: shape,
    write: async (mapped, ctx) => ({ targetId: await (ctx.client(to) as unknown as Store).upsert(mapped), action: 'updated' }),
  });
}

describe('echo suppression for two-way customers', () => {
  it('Given a customer edited in Commerce and pushed to Heartland, When Heartland reports that change back, Then it is skipped as an echo; a real Heartland edit still syncs', async () => {
    const clock = createTestClock();
    const commerce = customerStore('C');
    const heartland = customerStore('H');
    const deps: SyncDeps = {
      platform: { state: createMemoryStateStore(clock), files: createMemoryFileStore(), clock, logger: createMemoryLogger(), invoker: createRecordingInvoker().invoker },
      registry: createSyncRegistry({ flows: [customerFlow('customer-to-heartland', 'commerce-to-heartland'), customerFlow('customer-to-commerce', 'heartland-to-commerce')] }),
      clients: { commerce: () => commerce as never, heartland: () => heartland as never },
      options: { leaseSettleMs: 0 },
    };
    const toHeartland = deps.registry.flow('customer-to-heartland');
    const toCommerce = deps.registry.flow('customer-to-commerce');

    await commerce.upsert({ email: 'ada@example.com', name: 'Ada' });
    expect(await runUnit(toHeartland, { flow: 'customer-to-heartland', key: 'C1', trigger: 'event' }, deps)).toMatchObject({ outcome: 'done', targetId: 'H1' });

    const echo = await runUnit(toCommerce, { flow: 'customer-to-commerce', key: 'H1', trigger: 'event' }, deps);
    expect(echo).toMatchObject({ outcome: 'skipped', reason: 'echo' });
    expect(commerce.writes).toBe(1); // only the seed

    heartland.edit('H1', 'Ada Lovelace');
    const real = await runUnit(toCommerce, { flow: 'customer-to-commerce', key: 'H1', trigger: 'event' }, deps);
    expect(real).toMatchObject({ outcome: 'done', targetId: 'C1' });
    expect(commerce.byId.get('C1')?.name).toBe('Ada Lovelace');

    // ...and that write's own echo from Commerce is suppressed in turn.
    expect(await runUnit(toHeartland, { flow: 'customer-to-heartland', key: 'C1', trigger: 'event' }, deps)).toMatchObject({ outcome: 'skipped', reason: 'echo' });
  });
});
