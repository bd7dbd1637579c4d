/**
 * After the soak settles: every entity on both sides, read through the simulators' APIs and
 * compared with what the workload did. The expected values are computed here from first
 * principles (DESIGN.md §1.2, §4) and never with the connector's own code, so a bug shared by a
 * flow and its check cannot hide.
 */
import type { ConnectorSettings } from '../../lib/config/connector-settings';
import { commerceAll, heartlandAll, type SimApi } from '../demo/sim-http';
import type { CompletedInvoice, CustomerEdit, PlacedWebOrder } from '../demo/workload';

export interface Problem {
  check: string;
  subject: string;
  message: string;
}

interface HeartlandOrder {
  id: number;
  status: string;
  custom?: Record<string, string | null>;
  lines?: Array<{ item_id: number; qty: number; qty_invoiced?: number; ship_from_location_id?: number | null }>;
}

export async function heartlandWebOrders(heartland: SimApi): Promise<HeartlandOrder[]> {
  return heartlandAll<HeartlandOrder>(heartland, 'sales/orders', { '_include[]': 'lines' });
}

/** Each valid web order exactly once in Heartland, found by `custom.ecommerce_number` = increment id. */
export function checkOrders(placed: PlacedWebOrder[], heartlandOrders: HeartlandOrder[]): { lost: Problem[]; duplicates: Problem[] } {
  const byNumber = new Map<string, HeartlandOrder[]>();
  for (const o of heartlandOrders) {
    const n = o.custom?.ecommerce_number;
    if (n) byNumber.set(n, [...(byNumber.get(n) ?? []), o]);
  }
  const lost: Problem[] = [];
  const duplicates: Problem[] = [];
  for (const order of placed) {
    const found = byNumber.get(order.incrementId) ?? [];
    if (found.length === 0) lost.push({ check: 'orders', subject: order.incrementId, message: `web order ${order.incrementId} never reached Heartland${order.invalid ? ` (invalid input: ${order.invalid.kind} ${order.invalid.sku}; expected after the fix and replay)` : ''}` });
    if (found.length > 1) duplicates.push({ check: 'orders', subject: order.incrementId, message: `web order ${order.incrementId} is in Heartland ${found.length} times (orders ${found.map((o) => o.id).join(', ')})` });
  }
  // Orders with an ecommerce number the workload never placed would be invented data.
  const known = new Set(placed.map((o) => o.incrementId));
  for (const [n, orders] of byNumber) {
    if (!known.has(n)) duplicates.push({ check: 'orders', subject: n, message: `Heartland has ${orders.length} order(s) for web order ${n}, which the workload never placed` });
  }
  return { lost, duplicates };
}

/**
 * Stock per SKU × mapped MSI source equals
 * max(0, Σ mapped locations (qty_available + open web-order qty committed there) − safety stock).
 */
export async function checkStock(input: { heartland: SimApi; commerce: SimApi; settings: ConnectorSettings; heartlandOrders: HeartlandOrder[]; skus?: Set<string> }): Promise<{ checked: number; mismatches: Problem[] }> {
  const { heartland, commerce, settings } = input;
  const items = await heartlandAll<{ id: number; public_id: string }>(heartland, 'items');
  const values = await heartlandAll<{ item_id: number; location_id: number; qty_available: number }>(heartland, 'inventory/values', { 'group[]': ['item_id', 'location_id'] });
  const sourceOf = new Map(settings.locationToSource.map((m) => [Number(m.locationId), m.sourceCode]));
  const sources = [...new Set(settings.locationToSource.map((m) => m.sourceCode))];
  const expected = new Map<string, number>();
  const key = (sku: string, source: string) => `${sku}@${source}`;
  const skuOf = new Map(items.map((i) => [i.id, i.public_id]));
  const add = (itemId: number, locationId: number, qty: number) => {
    const sku = skuOf.get(itemId);
    const source = sourceOf.get(locationId);
    if (!sku || !source) return;
    expected.set(key(sku, source), (expected.get(key(sku, source)) ?? 0) + qty);
  };
  for (const i of items) for (const s of sources) expected.set(key(i.public_id, s), 0);
  for (const v of values) add(v.item_id, v.location_id, v.qty_available);
  for (const o of input.heartlandOrders) {
    if (o.status !== 'open' || !o.custom?.ecommerce_number) continue;
    for (const l of o.lines ?? []) {
      if (!l.ship_from_location_id) continue;
      add(l.item_id, l.ship_from_location_id, Math.max(0, l.qty - (l.qty_invoiced ?? 0)));
    }
  }
  const actual = new Map<string, number>();
  for (const si of await commerceAll<{ sku: string; source_code: string; quantity: number }>(commerce, 'inventory/source-items')) actual.set(key(si.sku, si.source_code), si.quantity);
  const mismatches: Problem[] = [];
  let checked = 0;
  for (const [k, raw] of expected) {
    const [sku, source] = k.split('@') as [string, string];
    if (input.skus && !input.skus.has(sku)) continue;
    const want = Math.max(0, raw - (settings.safetyStockBySku[sku] ?? settings.safetyStock));
    const have = actual.get(k);
    checked++;
    if (have === undefined || Math.abs(have - want) > 1e-9) {
      mismatches.push({ check: 'stock', subject: k, message: `${sku} at ${source}: Magento has ${have ?? 'no source item'}, Heartland says ${want}` });
    }
  }
  return { checked, mismatches };
}

interface MagentoShipment {
  entity_id: number;
  order_id: number;
  items: Array<{ sku: string; qty: number }>;
  tracks: Array<{ track_number: string; carrier_code: string }>;
  extension_attributes?: { source_code?: string };
}

/** One Magento shipment per completed Heartland invoice: same order, SKUs, quantities, tracking and source. */
export async function checkShipments(input: { commerce: SimApi; invoices: CompletedInvoice[]; placed: PlacedWebOrder[]; settings: ConnectorSettings }): Promise<Problem[]> {
  const { commerce, invoices, settings } = input;
  const shipments = await commerceAll<MagentoShipment>(commerce, 'shipments');
  const entityOf = new Map(input.placed.map((o) => [o.incrementId, o.entityId]));
  const byOrder = new Map<number, MagentoShipment[]>();
  for (const s of shipments) byOrder.set(s.order_id, [...(byOrder.get(s.order_id) ?? []), s]);
  const problems: Problem[] = [];
  const claimed = new Set<number>();
  for (const invoice of invoices) {
    const subject = `invoice ${invoice.invoiceId} (order ${invoice.ecommerceNumber})`;
    const orderId = entityOf.get(invoice.ecommerceNumber);
    if (orderId === undefined) {
      problems.push({ check: 'shipments', subject, message: `${subject}: the web order is unknown to the workload` });
      continue;
    }
    const matching = (byOrder.get(orderId) ?? []).filter((s) => s.tracks.some((t) => t.track_number === invoice.trackingNumber));
    if (matching.length === 0) {
      problems.push({ check: 'shipments', subject, message: `${subject}: no Magento shipment with tracking ${invoice.trackingNumber}` });
      continue;
    }
    if (matching.length > 1) problems.push({ check: 'shipments', subject, message: `${subject}: ${matching.length} Magento shipments carry tracking ${invoice.trackingNumber}` });
    const shipment = matching[0]!;
    claimed.add(shipment.entity_id);
    const shipped = new Map<string, number>();
    for (const i of shipment.items) shipped.set(i.sku, (shipped.get(i.sku) ?? 0) + i.qty);
    const invoiced = new Map<string, number>();
    for (const l of invoice.lines) invoiced.set(l.sku, (invoiced.get(l.sku) ?? 0) + l.qty);
    const skus = new Set([...shipped.keys(), ...invoiced.keys()]);
    for (const sku of skus) {
      if ((shipped.get(sku) ?? 0) !== (invoiced.get(sku) ?? 0)) {
        problems.push({ check: 'shipments', subject, message: `${subject}: ${sku} invoiced ${invoiced.get(sku) ?? 0}, shipped ${shipped.get(sku) ?? 0}` });
      }
    }
    const wantSource = settings.locationToSource.find((m) => m.locationId === String(invoice.locationId))?.sourceCode;
    const source = shipment.extension_attributes?.source_code;
    if (wantSource && source && source !== wantSource) problems.push({ check: 'shipments', subject, message: `${subject}: shipped from source ${source}, Heartland location maps to ${wantSource}` });
  }
  // A shipment on a workload order that no invoice accounts for is a duplicate or invented.
  const workloadOrders = new Set(input.placed.map((o) => o.entityId));
  for (const s of shipments) {
    if (workloadOrders.has(s.order_id) && !claimed.has(s.entity_id)) {
      problems.push({ check: 'shipments', subject: `shipment ${s.entity_id}`, message: `Magento shipment ${s.entity_id} on order ${s.order_id} matches no Heartland invoice (tracking ${s.tracks.map((t) => t.track_number).join(', ') || 'none'})` });
    }
  }
  return problems;
}

/**
 * Each Magento customer the workload edited has one Heartland customer with the same email and
 * the name Magento has NOW (read back, not taken from the ledger: concurrent edits of one customer
 * finish in an order only Magento knows).
 */
export async function checkCustomers(input: { heartland: SimApi; commerce: SimApi; edits: CustomerEdit[]; fixedCustomerIds?: number[] }): Promise<Problem[]> {
  // Customers whose mistyped email was corrected and replayed must have arrived too.
  const edited = [...new Set([...input.edits.filter((e) => e.system === 'commerce').map((e) => e.id), ...(input.fixedCustomerIds ?? [])])];
  const customers = await heartlandAll<{ id: number; email: string | null; first_name: string; last_name: string }>(input.heartland, 'customers');
  const problems: Problem[] = [];
  for (const id of edited) {
    const magento = await input.commerce.request<{ email: string; firstname: string; lastname: string }>('GET', `customers/${id}`);
    const email = magento.email.toLowerCase();
    const found = customers.filter((c) => c.email?.toLowerCase() === email);
    if (found.length === 0) problems.push({ check: 'customers', subject: email, message: `Magento customer ${id} (${email}) is not in Heartland` });
    else if (found.length > 1) problems.push({ check: 'customers', subject: email, message: `Magento customer ${id} (${email}) is in Heartland ${found.length} times` });
    else if (found[0]!.first_name !== magento.firstname || found[0]!.last_name !== magento.lastname) {
      problems.push({ check: 'customers', subject: email, message: `${email}: Magento says ${magento.firstname} ${magento.lastname}, Heartland says ${found[0]!.first_name} ${found[0]!.last_name}` });
    }
  }
  return problems;
}
