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
  /**
   * The host's HEARTLAND_RATE_PER_SECOND input (the Heartland client's request ceiling; default 5,
   * at most 100). The simulator has no rate limit of its own (the injected 429 + Retry-After faults
   * still exercise rate-limit handling), so the soak raises it: at 5 req/s a web order's ~12
   * Heartland calls would make the default workload take hours, not minutes.
   */
  heartlandRatePerSecond: number;
  /**
   * Web orders placed but not yet in Heartland before the workload waits for the connector to catch
   * up. A store takes orders over hours, not 2,000 in three minutes: without this the workload
   * outruns the connector by three orders of magnitude and the soak measures a queue, not the
   * pipeline's correctness. Faults, duplicates, reordering and kills are unchanged.
   */
  maxOrderBacklog: number;
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
  heartlandRatePerSecond: 50,
  maxOrderBacklog: 40,
};

export const QUICK_PROFILE: SoakProfile = {
  name: 'quick',
  seed: 7,
  items: 24,
  // Small on purpose: a web order takes ~12 Heartland requests and, with the injected faults and
  // the kills, retries through the persisted schedule; this is what fits `npm test`'s budget.
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
  // Raised like the default profile's: at 5 req/s one scheduler pass running the retries the
  // kills left takes 35–60 s on a busy machine and the settle phase runs out of time.
  heartlandRatePerSecond: 50,
  maxOrderBacklog: 40,
};
