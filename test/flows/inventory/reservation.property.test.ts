/**
 * Property (issue 8, DESIGN.md §4 "Inventory math"): for random interleavings of web orders,
 * their arrival in Heartland, POS tickets, adjustments, Heartland invoices and Magento shipments —
 * run against the simulators' real semantics (Heartland commitments and ledger, Magento MSI
 * reservations, source deduction on shipment, salable quantity), with the connector draining the
 * ledger and reacting to shipments the way its units do —
 *   1. after every connector sync, Magento's salable quantity never exceeds Heartland's true
 *      availability for new web orders (Σ qty_available at mapped locations − web orders Magento
 *      took that Heartland has not committed yet);
 *   2. after quiescence, every Magento source quantity equals the formula.
 * Each run uses a fresh SKU, so runs share the simulators but not state.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnit } from '../../../lib/sync';
import { inventoryFlow } from '../../../lib/flows/inventory';
import { orderEntity } from '../../commerce/helpers';
import { startInventoryEnv, type InventoryEnv } from './harness';

let env: InventoryEnv;
let reason: number;
let customer: number;
let station: number;
let run = 0;

beforeAll(async () => {
  env = await startInventoryEnv({ items: 1, locations: 2 });
  reason = (await env.heartland.inventory.reasonCodes())[0].id;
  customer = (await env.hsim('POST', '/__sim/seed/customers', { count: 1, seed: 5 })).customers[0];
  station = env.seed.stations[0];
}, 30_000);
afterAll(() => env?.close());

type Step =
  | { kind: 'webOrder'; qty: number }
  | { kind: 'orderReachesHeartland'; loc: number }
  | { kind: 'posTicket'; loc: number; qty: number }
  | { kind: 'adjust'; loc: number; qty: number }
  | { kind: 'invoice' }
  | { kind: 'ship' }
  | { kind: 'sync' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('webOrder' as const), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('orderReachesHeartland' as const), loc: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('posTicket' as const), loc: fc.integer({ min: 0, max: 1 }), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('adjust' as const), loc: fc.integer({ min: 0, max: 1 }), qty: fc.integer({ min: -4, max: 6 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('invoice' as const) }),
  fc.record({ kind: fc.constant('ship' as const) }),
  fc.record({ kind: fc.constant('sync' as const) }),
);

interface WebOrder {
  magentoId: number;
  incrementId: string;
  qty: number;
  heartlandId?: number;
  loc?: number;
  invoiced?: boolean;
  shipped?: boolean;
}

describe('inventory: reservation-aware quantity over random interleavings (simulators)', () => {
  it('never lets Magento sell more than Heartland has, and converges to the formula', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 10 }), fc.integer({ min: 2, max: 8 }), async (steps, opening) => {
        run++;
        const sku = `PROP-${run}-${Date.now()}`;
        const item = await env.heartland.items.create({ description: `Property item ${run}`, cost: 1, price: 10, public_id: sku } as never);
        await env.commerce.products.save({ sku, name: sku, price: 10, status: 1, type_id: 'simple', attribute_set_id: 4 });
        for (const loc of env.locations) await env.heartland.inventory.adjust({ location_id: loc, adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: opening }] });
        const orders: WebOrder[] = [];

        const sync = async () => {
          const outcome = await runUnit(inventoryFlow, { flow: 'inventory', key: `ledger-prop-${run}`, trigger: 'poll' }, env.deps);
          expect(outcome.outcome).toBe('done');
        };
        const trueAvailability = async () => {
          const values = await env.heartland.inventory.getValues([item.id], env.locations);
          const available = values.reduce((s, v) => s + v.qty_available, 0);
          const notYetInHeartland = orders.filter((o) => o.heartlandId === undefined && !o.shipped).reduce((s, o) => s + o.qty, 0);
          return available - notYetInHeartland;
        };
        const checkNoOversell = async () => {
          const salable = await env.commerce.inventory.salableQty(sku, 1);
          expect(salable).toBeLessThanOrEqual(Math.max(0, await trueAvailability()));
        };

        await sync();
        for (const s of steps) {
          switch (s.kind) {
            case 'webOrder': {
              // Magento takes a web order only when salable (the storefront's own check).
              if ((await env.commerce.inventory.salableQty(sku, 1)) < s.qty) break;
              const order = await env.commerce.orders.save(orderEntity([{ sku, qty: s.qty, price: 10 }], { status: 'processing' }));
              orders.push({ magentoId: order.entity_id!, incrementId: order.increment_id!, qty: s.qty });
              break;
            }
            case 'orderReachesHeartland': {
              const o = orders.find((x) => x.heartlandId === undefined);
              if (!o) break;
              const loc = env.locations[s.loc];
              const hl = await env.heartland.orders.create({ customer_id: customer, station_id: station, source_location_id: loc, status: 'pending', custom: { ecommerce_number: o.incrementId } } as never);
              await env.heartland.orders.addLine(hl.id, { item_id: item.id, qty: o.qty, ship_from_location_id: loc } as never);
              await env.heartland.orders.open(hl.id);
              Object.assign(o, { heartlandId: hl.id, loc: s.loc });
              break;
            }
            case 'posTicket': {
              const t = await env.heartland.tickets.create({ station_id: station, source_location_id: env.locations[s.loc], item_lines: [{ item_id: item.id, qty: s.qty, unit_price: 10 }] } as never);
              await env.heartland.tickets.complete(t.id);
              break;
            }
            case 'adjust':
              await env.heartland.inventory.adjust({ location_id: env.locations[s.loc], adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: s.qty }] });
              break;
            case 'invoice': {
              const o = orders.find((x) => x.heartlandId !== undefined && !x.invoiced);
              if (!o) break;
              const loc = env.locations[o.loc!];
              const inv = await env.heartland.invoices.create({ order_id: o.heartlandId!, customer_id: customer, source_location_id: loc, station_id: station });
              await env.heartland.invoices.addLine(inv.id, { item_id: item.id, qty: o.qty });
              await env.heartland.invoices.complete(inv.id);
              o.invoiced = true;
              break;
            }
            case 'ship': {
              // The shipment flow ships an order Heartland invoiced, from the source of its location.
              const o = orders.find((x) => x.invoiced && !x.shipped);
              if (!o) break;
              try {
                await env.commerce.orders.ship(o.magentoId, { sourceCode: env.sources[o.loc!] });
              } catch {
                break; // Magento refuses when the source item holds less than the shipment: nothing changed.
              }
              o.shipped = true;
              // The Commerce shipment event becomes this unit (inventoryArea.unitsForCommerceEvent).
              const outcome = await runUnit(inventoryFlow, { flow: 'inventory', key: `shipment-${o.magentoId}`, trigger: 'event', eventId: `ship-${run}-${o.magentoId}`, payloadHint: { skus: [sku] } }, env.deps);
              expect(outcome.outcome).toBe('done');
              await checkNoOversell();
              break;
            }
            case 'sync':
              await sync();
              await checkNoOversell();
              break;
          }
        }
        // Quiescence: the connector catches up; Magento's source items equal the formula.
        await sync();
        await checkNoOversell();
        const values = await env.heartland.inventory.getValues([item.id], env.locations);
        const sources = new Map((await env.commerce.inventory.sourceItemsForSkus([sku])).map((r) => [r.source_code, Number(r.quantity)]));
        env.locations.forEach((loc, i) => {
          const available = values.find((v) => v.location_id === loc)?.qty_available ?? 0;
          const committedWeb = orders.filter((o) => o.heartlandId !== undefined && !o.invoiced && o.loc === i).reduce((s, o) => s + o.qty, 0);
          expect(sources.get(env.sources[i])).toBe(Math.max(0, available + committedWeb));
        });
      }),
      { numRuns: 12, seed: 8_2026, endOnFailure: true },
    );
  }, 60_000);
});
