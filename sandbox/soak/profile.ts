/** Soak workloads: the full one from issue 6 and a quick one that fits in `npm test`. */
export interface SoakProfile {
  name: 'default' | 'quick' | 'custom';
  seed: number;
  /** Heartland catalog size. */
  items: number;
  /** Valid web orders. */
  orders: number;
  /** Web orders with a SKU Heartland does not know (deliberately invalid: dead letters expected). */
  badOrders: number;
  /** Magento customers registered with a mistyped email Heartland refuses: dead letters expected. */
  invalidEmails: number;
  /** Heartland stock movements (POS ticket lines + adjustment lines). */
  stockChanges: number;
  /** Heartland invoices completing web orders (shipments expected in Magento). */
  invoices: number;
  /** Magento customer edits. */
  customerEdits: number;
  /** Workload actions in flight at once. */
  concurrency: number;
  faultRate: number;
  /** Connector writes answered after its 20 s request timeout (and performed anyway). */
  timeouts: { latencyMs: number; rate: number; count?: number };
  duplicateRate: number;
  reorderRate: number;
  /** SIGKILL + restart of the host during the workload. */
  hostKills: number;
  /** How long to keep offering invoices while web orders are still reaching Heartland. */
  invoiceWaitMs: number;
  /** Upper bound on the settle phase (wall time). */
  settleMs: number;
}

export const DEFAULT_PROFILE: SoakProfile = {
  name: 'default',
  seed: 20260101,
  items: 200,
  orders: 2000,
  badOrders: 10,
  invalidEmails: 2,
  stockChanges: 10_000,
  invoices: 500,
  customerEdits: 200,
  concurrency: 8,
  faultRate: 0.2,
  timeouts: { latencyMs: 21_000, rate: 0.02 },
  duplicateRate: 0.1,
  reorderRate: 0.1,
  hostKills: 2,
  invoiceWaitMs: 15 * 60_000,
  settleMs: 30 * 60_000,
};

export const QUICK_PROFILE: SoakProfile = {
  name: 'quick',
  seed: 7,
  items: 24,
  // Small on purpose: the connector paces Heartland at 5 requests/s (lib/heartland/client.ts), and a
  // web order takes several requests, so this is what fits the ~90 s `npm test` budget.
  orders: 8,
  badOrders: 1,
  invalidEmails: 1,
  stockChanges: 30,
  invoices: 3,
  customerEdits: 5,
  concurrency: 4,
  faultRate: 0.2,
  // Two slow answers in total (on the connector's writes): each holds an activation for 21 s.
  timeouts: { latencyMs: 21_000, rate: 0.15, count: 2 },
  duplicateRate: 0.1,
  reorderRate: 0.1,
  hostKills: 2,
  invoiceWaitMs: 45_000,
  settleMs: 60_000,
};
