/**
 * What a retailer's day looks like to the connector, one business event at a time: web orders in
 * Magento, POS sales and stock adjustments in Heartland, Heartland invoices that ship web orders,
 * credit memos, customer edits, and the odd bad order. Demo traffic (traffic.ts) calls these on a
 * timer; the soak calls them in bulk and keeps the ledger to check the outcome against.
 *
 * Every action goes through the simulators' real APIs (the web shop, the POS), so the simulators
 * emit their events and notifications exactly as they would for a person.
 */
import type { DemoSeed } from './seed';
import type { Random } from './random';
import { SimHttpError, heartlandAll, type SimApi } from './sim-http';

export interface OrderLine {
  sku: string;
  qty: number;
}

export interface PlacedWebOrder {
  entityId: number;
  incrementId: string;
  email: string;
  lines: OrderLine[];
  paymentMethod: string;
  shippingMethod: string;
  /** Deliberately invalid input: the connector must dead-letter it (and replay it after the fix). */
  invalid?: { kind: 'unknown-sku'; sku: string };
}

export interface CompletedInvoice {
  invoiceId: number;
  heartlandOrderId: number;
  ecommerceNumber: string;
  locationId: number;
  trackingNumber: string;
  carrier: string;
  lines: OrderLine[];
}

export interface CustomerEdit {
  system: 'commerce' | 'heartland';
  id: number;
  email: string;
  firstname: string;
  lastname: string;
}

/**
 * A comma typed for a dot (`jane,doe@example.com`): Magento's email check lets it through, Heartland
 * refuses it, so the customer cannot be synced until someone corrects it.
 */
export interface InvalidEmail {
  commerceCustomerId: number;
  invalidEmail: string;
  validEmail: string;
}

export interface WorkloadLedger {
  webOrders: PlacedWebOrder[];
  posTickets: number;
  adjustmentSets: number;
  /** Heartland stock movements caused by the workload (ticket lines + adjustment lines). */
  stockChanges: number;
  invoices: CompletedInvoice[];
  creditMemos: Array<{ orderEntityId: number; creditMemoId: number }>;
  customerEdits: CustomerEdit[];
  /** Magento customers registered with a mistyped email on purpose (the soak's invalid-email inputs). */
  invalidEmails: InvalidEmail[];
  /** Actions the simulators refused (an injected fault, nothing to invoice…), by action. */
  refused: Record<string, number>;
}

export interface WorkloadContext {
  heartland: SimApi;
  commerce: SimApi;
  seed: DemoSeed;
  random: Random;
}

const STREETS = ['Oak Ave', 'Main St', 'Maple Dr', 'Cedar Ln', 'Pine St', 'Elm St', 'Lake Rd', 'Hill St'];
const PLACES = [
  { city: 'Boston', region: 'Massachusetts', region_code: 'MA', region_id: 32, postcode: '02108' },
  { city: 'Austin', region: 'Texas', region_code: 'TX', region_id: 57, postcode: '78701' },
  { city: 'Portland', region: 'Oregon', region_code: 'OR', region_id: 49, postcode: '97205' },
  { city: 'Denver', region: 'Colorado', region_code: 'CO', region_id: 13, postcode: '80202' },
  { city: 'Chicago', region: 'Illinois', region_code: 'IL', region_id: 23, postcode: '60601' },
];
const FIRST = ['Jane', 'John', 'Maria', 'Wei', 'Aisha', 'Carlos', 'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Mateo'];
const LAST = ['Doe', 'Smith', 'Garcia', 'Chen', 'Khan', 'Rossi', 'Brown', 'Nguyen', 'Johnson', 'Lopez', 'Kim', 'Patel'];
const CARRIERS = [
  { carrier: 'ups', method: 'ups_GND', description: 'United Parcel Service - Ground', amount: 9.5 },
  { carrier: 'fedex', method: 'fedex_FEDEX_GROUND', description: 'Federal Express - Ground', amount: 8.75 },
  { carrier: 'flatrate', method: 'flatrate_flatrate', description: 'Flat Rate - Fixed', amount: 5 },
  { carrier: 'freeshipping', method: 'freeshipping_freeshipping', description: 'Free Shipping - Free', amount: 0 },
];
const PAYMENT_CODES = ['checkmo', 'banktransfer', 'cashondelivery', 'purchaseorder', 'paypal_express', 'braintree'];
const TAX_RATE = 0.0825;

const money = (n: number) => Math.round(n * 100) / 100;

export function emptyLedger(): WorkloadLedger {
  return { webOrders: [], posTickets: 0, adjustmentSets: 0, stockChanges: 0, invoices: [], creditMemos: [], customerEdits: [], invalidEmails: [], refused: {} };
}

export interface Workload {
  ledger: WorkloadLedger;
  placeWebOrder(options?: { unknownSku?: string }): Promise<PlacedWebOrder>;
  posSale(): Promise<number>;
  adjustStock(options?: { lines?: number }): Promise<number>;
  /** Invoices (ships) one open web order in Heartland; undefined when none is waiting. */
  invoiceWebOrder(): Promise<CompletedInvoice | undefined>;
  /** Invoices and refunds one of the workload's Magento orders; undefined when none qualifies. */
  creditMemo(): Promise<{ orderEntityId: number; creditMemoId: number } | undefined>;
  editCommerceCustomer(): Promise<CustomerEdit | undefined>;
  /** Deliberately invalid input: a Magento customer registers with a mistyped email. */
  registerCustomerWithMistypedEmail(): Promise<InvalidEmail>;
  editHeartlandCustomer(): Promise<CustomerEdit | undefined>;
  /** Runs an action, counting a refusal instead of throwing (demo traffic must keep going). */
  attempt<T>(name: string, action: () => Promise<T>): Promise<T | undefined>;
}

export function createWorkload(ctx: WorkloadContext, ledger: WorkloadLedger = emptyLedger()): Workload {
  const { heartland: hl, commerce: mc, seed, random } = ctx;
  const items = seed.items;
  const itemBySku = new Map(items.map((i) => [i.sku, i]));
  const customerCache = new Map<number, { id: number; email: string; firstname: string; lastname: string }>();
  const invoicedOrders = new Set<number>(ledger.invoices.map((i) => i.heartlandOrderId));
  const refundedOrders = new Set<number>(ledger.creditMemos.map((c) => c.orderEntityId));

  async function commerceCustomer(id: number) {
    let c = customerCache.get(id);
    if (!c) {
      const raw = await mc.request<{ id: number; email: string; firstname: string; lastname: string }>('GET', `customers/${id}`);
      c = { id: raw.id, email: raw.email, firstname: raw.firstname, lastname: raw.lastname };
      customerCache.set(id, c);
    }
    return c;
  }

  async function availableAt(itemId: number, locationId: number): Promise<number> {
    const rows = await hl.request<{ results: Array<{ qty_available: number }> }>(
      'GET',
      `inventory/values?group[]=item_id&group[]=location_id&_filter=${encodeURIComponent(JSON.stringify({ item_id: itemId, location_id: locationId }))}`,
    );
    return rows.results[0]?.qty_available ?? 0;
  }

  const workload: Workload = {
    ledger,

    async placeWebOrder(options = {}) {
      const registered = seed.commerceCustomers.length > 0 && random.chance(0.4) ? await commerceCustomer(random.pick(seed.commerceCustomers).id) : undefined;
      const firstname = registered?.firstname ?? random.pick(FIRST);
      const lastname = registered?.lastname ?? random.pick(LAST);
      const email = registered?.email ?? `${firstname}.${lastname}.${random.int(1000, 999999)}@example.com`.toLowerCase();
      const place = random.pick(PLACES);
      const ship = random.pick(CARRIERS);
      const paymentMethod = random.pick(PAYMENT_CODES);
      const chosen = new Map<string, number>();
      const count = random.int(1, 3);
      for (let i = 0; i < count; i++) chosen.set(random.pick(items).sku, random.int(1, 2));
      if (options.unknownSku) chosen.set(options.unknownSku, 1);
      const lines = [...chosen].map(([sku, qty]) => ({ sku, qty }));
      const orderItems = lines.map(({ sku, qty }) => {
        const price = itemBySku.get(sku)?.price ?? 19.99;
        const row = money(price * qty);
        const tax = money(row * TAX_RATE);
        return {
          sku,
          name: itemBySku.get(sku)?.name ?? `Discontinued ${sku}`,
          product_type: 'simple',
          qty_ordered: qty,
          price,
          base_price: price,
          original_price: price,
          row_total: row,
          base_row_total: row,
          tax_amount: tax,
          tax_percent: TAX_RATE * 100,
          discount_amount: 0,
          price_incl_tax: money(price * (1 + TAX_RATE)),
          row_total_incl_tax: money(row + tax),
        };
      });
      const subtotal = money(orderItems.reduce((s, i) => s + i.row_total, 0));
      const tax = money(orderItems.reduce((s, i) => s + i.tax_amount, 0));
      const grand = money(subtotal + tax + ship.amount);
      const address = {
        firstname,
        lastname,
        street: [`${random.int(10, 9999)} ${random.pick(STREETS)}`],
        city: place.city,
        region: place.region,
        region_code: place.region_code,
        region_id: place.region_id,
        postcode: place.postcode,
        country_id: 'US',
        telephone: `555-01${String(random.int(0, 99)).padStart(2, '0')}`,
        email,
      };
      const created = await mc.request<{ entity_id: number; increment_id: string }>('POST', 'orders', {
        entity: {
          customer_email: email,
          customer_firstname: firstname,
          customer_lastname: lastname,
          ...(registered ? { customer_id: registered.id, customer_is_guest: 0 } : { customer_is_guest: 1 }),
          state: 'processing',
          status: 'processing',
          subtotal,
          base_subtotal: subtotal,
          tax_amount: tax,
          shipping_amount: ship.amount,
          shipping_tax_amount: 0,
          discount_amount: 0,
          grand_total: grand,
          base_grand_total: grand,
          shipping_description: ship.description,
          items: orderItems,
          billing_address: { ...address, address_type: 'billing' },
          payment: { method: paymentMethod, amount_ordered: grand, additional_information: [] },
          extension_attributes: {
            shipping_assignments: [{ shipping: { address: { ...address, address_type: 'shipping' }, method: ship.method, total: { shipping_amount: ship.amount } } }],
          },
        },
      });
      const placed: PlacedWebOrder = {
        entityId: created.entity_id,
        incrementId: created.increment_id,
        email,
        lines,
        paymentMethod,
        shippingMethod: ship.method,
        ...(options.unknownSku ? { invalid: { kind: 'unknown-sku' as const, sku: options.unknownSku } } : {}),
      };
      ledger.webOrders.push(placed);
      return placed;
    },

    async posSale() {
      const location = random.pick(seed.locations);
      const lines: Array<{ type: 'ItemLine'; item_id: number; qty: number; unit_price: number }> = [];
      for (let i = random.int(1, 3); i > 0; i--) {
        const item = random.pick(items);
        if (lines.some((l) => l.item_id === item.id)) continue;
        const available = await availableAt(item.id, location.id);
        if (available <= 0) continue;
        lines.push({ type: 'ItemLine', item_id: item.id, qty: Math.min(available, random.int(1, 2)), unit_price: item.price });
      }
      if (lines.length === 0) return 0;
      const total = money(lines.reduce((s, l) => s + l.qty * l.unit_price, 0) * (1 + TAX_RATE));
      await hl.send('POST', 'sales/tickets', {
        type: 'Ticket',
        station_id: location.stationId,
        source_location_id: location.id,
        status: 'complete',
        lines: [...lines, { type: 'TaxLine', value: money(total - lines.reduce((s, l) => s + l.qty * l.unit_price, 0)), description: 'Sales tax' }],
        payments: [{ type: 'CustomPayment', payment_type_id: seed.paymentTypeIds.External ?? Object.values(seed.paymentTypeIds)[0]!, amount: total }],
      });
      ledger.posTickets++;
      ledger.stockChanges += lines.length;
      return lines.length;
    },

    async adjustStock(options = {}) {
      const location = random.pick(seed.locations);
      const reason = seed.reasonCodeIds['Physical count'] ?? seed.reasonCodeIds.Damaged;
      if (reason === undefined) throw new Error('the Heartland simulator has no inventory adjustment reason');
      const created = await hl.send('POST', 'inventory/adjustment_sets', { location_id: location.id, adjustment_reason_id: reason, description: 'Cycle count' });
      const setId = Number(String(created.location ?? '').split('/').pop());
      if (!Number.isInteger(setId)) throw new Error(`adjustment set create answered no usable Location (${created.location})`);
      const used = new Set<number>();
      let added = 0;
      for (let i = options.lines ?? random.int(1, 5); i > 0; i--) {
        const item = random.pick(items);
        if (used.has(item.id)) continue;
        used.add(item.id);
        // Mostly receipts, sometimes shrink; never below zero on hand.
        let qty = random.chance(0.7) ? random.int(1, 12) : -random.int(1, 4);
        if (qty < 0) qty = -Math.min(-qty, await availableAt(item.id, location.id));
        if (qty === 0) continue;
        await hl.send('POST', `inventory/adjustment_sets/${setId}/lines`, { item_id: item.id, qty });
        added++;
      }
      if (added === 0) return 0;
      await hl.send('PUT', `inventory/adjustment_sets/${setId}`, { status: 'complete' });
      ledger.adjustmentSets++;
      ledger.stockChanges += added;
      return added;
    },

    async invoiceWebOrder() {
      const open = await heartlandAll<{ id: number; status: string; source_location_id: number; station_id: number; custom: Record<string, string> }>(hl, 'sales/orders', {
        _filter: JSON.stringify({ status: 'open' }),
      });
      const candidates = open.filter((o) => o.custom?.ecommerce_number && !invoicedOrders.has(o.id));
      if (candidates.length === 0) return undefined;
      const order = random.pick(candidates);
      // Claimed before any await: concurrent callers (the soak) must not invoice one order twice.
      invoicedOrders.add(order.id);
      const lines = await heartlandAll<{ id: number; item_id: number; qty: number; qty_invoiced: number }>(hl, `sales/orders/${order.id}/lines`);
      const toInvoice = lines.filter((l) => l.qty - (l.qty_invoiced ?? 0) > 0).map((l) => ({ type: 'ItemLine', item_id: l.item_id, qty: l.qty - (l.qty_invoiced ?? 0), order_line_id: l.id }));
      if (toInvoice.length === 0) return undefined;
      const ship = random.pick(CARRIERS.slice(0, 2));
      const trackingNumber = ship.carrier === 'ups' ? `1Z${random.int(100000, 999999)}${random.int(1000000, 9999999)}` : String(random.int(100000000, 999999999)) + String(random.int(100, 999));
      const created = await hl.send('POST', 'sales/invoices', {
        order_id: order.id,
        source_location_id: order.source_location_id,
        station_id: order.station_id,
        custom: { tracking_number: trackingNumber, shipping_carrier: ship.carrier },
        lines: toInvoice,
      });
      const invoiceId = Number(String(created.location ?? '').split('/').pop());
      if (!Number.isInteger(invoiceId)) throw new Error(`invoice create answered no usable Location (${created.location})`);
      await hl.send('PUT', `sales/invoices/${invoiceId}`, { status: 'complete' });
      const skuById = new Map(items.map((i) => [i.id, i.sku]));
      const done: CompletedInvoice = {
        invoiceId,
        heartlandOrderId: order.id,
        ecommerceNumber: order.custom.ecommerce_number!,
        locationId: order.source_location_id,
        trackingNumber,
        carrier: ship.carrier,
        lines: toInvoice.map((l) => ({ sku: skuById.get(l.item_id) ?? String(l.item_id), qty: l.qty })),
      };
      ledger.invoices.push(done);
      ledger.stockChanges += toInvoice.length;
      return done;
    },

    async creditMemo() {
      const candidates = ledger.webOrders.filter((o) => !o.invalid && !refundedOrders.has(o.entityId));
      if (candidates.length === 0) return undefined;
      const placed = random.pick(candidates);
      refundedOrders.add(placed.entityId);
      const order = await mc.request<{ state: string; total_invoiced: number; items: Array<{ item_id: number; qty_ordered: number; parent_item_id?: number }> }>('GET', `orders/${placed.entityId}`);
      if (['canceled', 'closed', 'holded'].includes(order.state)) return undefined;
      if (!(order.total_invoiced > 0)) await mc.request('POST', `order/${placed.entityId}/invoice`, { capture: true, notify: false });
      const item = order.items.find((i) => !i.parent_item_id)!;
      const creditMemoId = await mc.request<number>('POST', `order/${placed.entityId}/refund`, {
        items: [{ order_item_id: item.item_id, qty: 1 }],
        notify: false,
        arguments: { shipping_amount: 0, extension_attributes: { return_to_stock_items: [item.item_id] } },
      });
      const memo = { orderEntityId: placed.entityId, creditMemoId: Number(creditMemoId) };
      ledger.creditMemos.push(memo);
      return memo;
    },

    async editCommerceCustomer() {
      if (seed.commerceCustomers.length === 0) return undefined;
      const { id } = random.pick(seed.commerceCustomers);
      const current = await mc.request<Record<string, any>>('GET', `customers/${id}`);
      const lastname = random.pick(LAST);
      const updated = await mc.request<Record<string, any>>('PUT', `customers/${id}`, { customer: { ...current, lastname } });
      customerCache.delete(id);
      const edit: CustomerEdit = { system: 'commerce', id, email: updated.email, firstname: updated.firstname, lastname: updated.lastname };
      ledger.customerEdits.push(edit);
      return edit;
    },

    async registerCustomerWithMistypedEmail() {
      const firstname = random.pick(FIRST);
      const lastname = random.pick(LAST);
      const local = `${firstname}.${lastname}.${random.int(1000, 999999)}`.toLowerCase();
      const invalidEmail = `${local.replace('.', ',')}@example.com`;
      // A number no web order uses (they draw from 555-0100..0199): with a shared one, the customer
      // flows' secondary match (phone + last name) rightly links a namesake who ordered with it, and
      // the corrected customer is held as a duplicate (seen in the full soak).
      const ownPhone = `555-${String(200 + ledger.invalidEmails.length).padStart(4, '0')}`;
      const place = random.pick(PLACES);
      const created = await mc.request<{ id: number }>('POST', 'customers', {
        customer: {
          email: invalidEmail,
          firstname,
          lastname,
          website_id: 1,
          group_id: 1,
          addresses: [{ firstname, lastname, street: [`${random.int(10, 9999)} ${random.pick(STREETS)}`], city: place.city, region: { region_code: place.region_code, region: place.region, region_id: place.region_id }, region_id: place.region_id, postcode: place.postcode, country_id: 'US', telephone: ownPhone, default_billing: true, default_shipping: true }],
        },
      });
      const entry: InvalidEmail = { commerceCustomerId: created.id, invalidEmail, validEmail: `${local}@example.com` };
      ledger.invalidEmails.push(entry);
      return entry;
    },

    async editHeartlandCustomer() {
      if (seed.heartlandCustomerIds.length === 0) return undefined;
      const id = random.pick(seed.heartlandCustomerIds);
      const lastName = random.pick(LAST);
      await hl.send('PUT', `customers/${id}`, { last_name: lastName });
      const current = await hl.request<{ email: string; first_name: string; last_name: string }>('GET', `customers/${id}`);
      const edit: CustomerEdit = { system: 'heartland', id, email: current.email, firstname: current.first_name, lastname: current.last_name };
      ledger.customerEdits.push(edit);
      return edit;
    },

    async attempt(name, action) {
      try {
        return await action();
      } catch (error) {
        if (!(error instanceof SimHttpError) && !(error instanceof TypeError) && (error as Error).name !== 'TimeoutError') throw error;
        ledger.refused[name] = (ledger.refused[name] ?? 0) + 1;
        return undefined;
      }
    },
  };
  return workload;
}
