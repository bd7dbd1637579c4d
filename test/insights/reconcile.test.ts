import { describe, expect, it } from 'vitest';
import { createReconciliationReports, reconcile, ReconcileInputError, toCsv, type ReconcileInput } from '../../lib/insights/reconcile';
import { createMemoryFileStore } from '../../lib/platform/memory';

const num = (n: number) => `000000${n}`;
const day = '2026-03-03';
const mOrder = (n: number, total: number, extra: Record<string, unknown> = {}) => ({
  entity_id: n,
  increment_id: num(n),
  created_at: `${day} 1${n % 10}:00:00`,
  state: 'processing',
  status: 'processing',
  customer_email: `c${n}@example.com`,
  grand_total: total,
  items: [{ sku: `SKU-${n}`, qty_ordered: 1, price: total }],
  ...extra,
});
const hOrder = (id: number, n: number, total: number, created = `${day}T1${n % 10}:01:00+00:00`) => ({ id, status: 'open', total, custom: { ecommerce_number: num(n) }, created_at: created });
const invoice = (id: number, orderId: number, total: number) => ({ entity_id: id, increment_id: `INV-${id}`, order_id: orderId, state: 2, grand_total: total, created_at: `${day} 12:00:00` });
const payment = (id: number, orderId: number, amount: number) => ({ id, type: 'CustomPayment', status: 'complete', amount, order_id: orderId, deposit: true });
const memo = (id: number, orderId: number, total: number) => ({ entity_id: id, increment_id: `CM-${id}`, order_id: orderId, grand_total: total, created_at: `${day} 15:00:00` });
const ret = (id: number, memoId: number, total: number, n: number) => ({ id, type: 'Return', status: 'complete', total: -total, custom: { magento_creditmemo_id: String(memoId), ecommerce_number: num(n) }, completed_at: `${day}T15:05:00+00:00` });

function seeded(): ReconcileInput {
  const totals: Record<number, number> = { 101: 50, 102: 75.5, 103: 20, 104: 99.99, 105: 120, 106: 35, 107: 64, 108: 18.25, 109: 42, 110: 310 };
  const magentoOrders = Object.entries(totals).map(([n, t]) => mOrder(Number(n), t));
  magentoOrders.push(mOrder(111, 80, { state: 'canceled', status: 'canceled' })); // cancelled before sending: not a mismatch
  magentoOrders.push(mOrder(112, 60, { created_at: '2026-03-01 10:00:00' })); // outside the range
  const heartlandOrders = Object.entries(totals)
    .filter(([n]) => n !== '103') // seeded: never reached Heartland
    .map(([n, t], i) => hOrder(200 + i, Number(n), n === '105' ? 112 : t)); // seeded: 105 total differs
  heartlandOrders.push(hOrder(299, 199, 45)); // seeded: a web order Magento does not have
  heartlandOrders.push({ id: 298, status: 'open', total: 15, custom: {} as { ecommerce_number: string }, created_at: `${day}T10:00:00+00:00` }); // a store special order: not a web order
  const hId = (n: number) => heartlandOrders.find((o) => o.custom.ecommerce_number === num(n))?.id as number;
  const invoices = [101, 102, 104, 105, 106, 108, 109, 110].map((n) => invoice(1000 + n, n, totals[n]));
  const payments = [101, 102, 105, 106, 107, 109, 110].map((n) => payment(3000 + n, hId(n), totals[n]));
  payments.push(payment(3104, hId(104), 89.99)); // seeded: payment amount differs from the invoice
  // seeded: 107 paid on Heartland with no Magento invoice; 108 invoiced with no Heartland payment.
  const creditMemos = [memo(501, 101, 50), memo(502, 102, 10), memo(504, 106, 35)];
  const returns = [ret(7001, 501, 50, 101), ret(7003, 503, 22, 109), ret(7004, 504, 30, 106)];
  // seeded: memo 502 has no Return; Return for memo 503 has no memo; 504 amounts differ.
  return { magento: { orders: magentoOrders, invoices, creditMemos }, heartland: { orders: heartlandOrders, payments, returns }, from: `${day}T00:00:00Z`, to: '2026-03-04T00:00:00Z' };
}

describe('reconciliation', () => {
  it('lists exactly the seeded mismatches', () => {
    const { rows, summary } = reconcile(seeded());
    const mismatches = rows.filter((r) => r.status !== 'matched').map((r) => [r.kind, r.orderNumber, r.status, r.magentoAmount, r.heartlandAmount]);
    expect(mismatches).toEqual([
      ['order', '000000103', 'missing_in_heartland', 20, null],
      ['order', '000000105', 'amount_mismatch', 120, 112],
      ['order', '000000199', 'missing_in_magento', null, 45],
      ['payment', '000000104', 'amount_mismatch', 99.99, 89.99],
      ['payment', '000000107', 'missing_in_magento', null, 64],
      ['payment', '000000108', 'missing_in_heartland', 18.25, null],
      ['refund', '000000102', 'missing_in_heartland', 10, null],
      ['refund', '000000109', 'missing_in_magento', null, 22],
      ['refund', '000000106', 'amount_mismatch', 35, 30],
    ]);
    expect(summary.mismatches).toBe(9);
    expect(summary.counts.order).toEqual({ matched: 8, missing_in_heartland: 1, missing_in_magento: 1, amount_mismatch: 1 });
    expect(summary.counts.refund.matched).toBe(1);
    expect(summary.from).toBe('2026-03-03T00:00:00.000Z');
  });

  it('rows carry both references', () => {
    const { rows } = reconcile(seeded());
    expect(rows.find((r) => r.kind === 'order' && r.orderNumber === '000000101')).toEqual({ kind: 'order', orderNumber: '000000101', magentoRef: '000000101', heartlandRef: '200', magentoAmount: 50, heartlandAmount: 50, status: 'matched' });
    expect(rows.find((r) => r.kind === 'refund' && r.status === 'matched')).toMatchObject({ magentoRef: 'CM-501', heartlandRef: '7001' });
  });

  it('a fully synced day is all matched', () => {
    const input = seeded();
    const clean: ReconcileInput = {
      ...input,
      magento: { orders: input.magento.orders.filter((o) => ['000000101', '000000102'].includes((o as { increment_id: string }).increment_id)), invoices: [], creditMemos: [] },
      heartland: { orders: (input.heartland.orders as Array<{ custom: Record<string, string> }>).filter((o) => ['000000101', '000000102'].includes(o.custom.ecommerce_number)), payments: [], returns: [] },
    };
    const { rows, summary } = reconcile(clean);
    expect(rows.map((r) => r.status)).toEqual(['matched', 'matched']);
    expect(summary.mismatches).toBe(0);
  });

  it('writes CSV with a header, quoting and formula protection', () => {
    const csv = toCsv([
      { kind: 'order', orderNumber: '=HYPERLINK("x")', magentoRef: 'a,b', heartlandRef: null, magentoAmount: 10, heartlandAmount: 9.5, status: 'amount_mismatch' },
    ]);
    expect(csv).toBe('kind,order_number,magento_ref,heartland_ref,magento_amount,heartland_amount,difference,status\r\norder,"\'=HYPERLINK(""x"")","a,b",,10,9.5,-0.5,amount_mismatch\r\n');
    const { rows } = reconcile(seeded());
    expect(rows).toHaveLength(11 + 9 + 4);
    expect(toCsv(rows).split('\r\n')).toHaveLength(1 + rows.length + 1);
  });

  it.each([
    [{ from: 'yesterday' }, 'from: expected an ISO-8601 date'],
    [{ to: '2026-03-02T00:00:00Z' }, 'to: must be after from'],
    [{ magento: { orders: [{ increment_id: 5 }] } }, 'magento.orders[0].entity_id'],
    [{ heartland: { orders: 'none' } }, 'heartland.orders: expected an array'],
    [{ heartland: undefined }, 'heartland: expected'],
  ])('names the field at fault (%#)', (override, message) => {
    const input = { ...seeded(), ...override } as ReconcileInput;
    expect(() => reconcile(input)).toThrow(ReconcileInputError);
    expect(() => reconcile(input)).toThrow(message);
  });

  it('stores each run as JSON and CSV, newest first, without overwriting', async () => {
    let now = Date.parse('2026-03-04T02:00:00Z');
    const reports = createReconciliationReports({ files: createMemoryFileStore(), clock: { now: () => now, sleep: async () => undefined } });
    const result = reconcile(seeded());
    const first = await reports.save(result);
    now += 3600_000;
    const second = await reports.save(result);
    expect(first.name).toBe('20260303T000000Z_20260304T000000Z_run20260304T020000Z');
    expect(await reports.list()).toEqual([second.name, first.name]);
    expect(JSON.parse((await reports.read(first.name)) ?? '{}').summary.mismatches).toBe(9);
    expect(await reports.read(first.name, 'csv')).toBe(toCsv(result.rows));
    expect(await reports.read('../../etc/passwd')).toBeUndefined();
  });
});
