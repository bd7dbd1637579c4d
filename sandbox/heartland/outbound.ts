/**
 * Calls the simulator makes to the outside world, the way Heartland would:
 * - custom payment-type webhooks (§3.9, documented): POST `{payment_id, amount}` (+ `number` for
 *   gift cards) to the Capture / Refund / Void / Check Balance URL; 200 = success; check balance
 *   must answer `{balance}`. No signature is documented, so none is sent.
 * - event notifications: ASSUMED. Heartland's event-webhook format is unknown (§3.9); this
 *   simulator POSTs `{event, resource_type, resource_id, occurred_at}` (+ a few context fields) with
 *   the shared secret in the `x-heartland-webhook-secret` header. The connector must not depend on
 *   it for correctness (DESIGN.md §3); it can be switched off.
 */
import type { Store } from './store';

export type PaymentOperation = 'capture' | 'refund' | 'void' | 'check_balance';
export const PAYMENT_OPERATIONS: readonly PaymentOperation[] = ['capture', 'refund', 'void', 'check_balance'];

export interface PaymentWebhookConfig {
  payment_type_id: number;
  capture?: string;
  refund?: string;
  void?: string;
  check_balance?: string;
}

export interface PaymentCallResult {
  ok: boolean;
  status: number; // 0 = network error / timeout
  body: unknown;
  error?: string;
}

export const NOTIFICATION_SECRET_HEADER = 'x-heartland-webhook-secret';

export interface NotificationTarget {
  id: number;
  url: string;
  secret?: string;
  /** Event names to send; empty = all. */
  events?: string[];
}

export interface Delivery {
  target: number;
  event: string;
  resource_id: number | string;
  status: number;
  attempts: number;
  at: string;
}

const TIMEOUT_MS = 5000;

export class Outbound {
  deliveries: Delivery[] = [];
  counts = { sent: 0, failed: 0 };
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly defaults: { enabled: boolean; secret?: string },
  ) {}

  get notifyEnabled(): boolean {
    const v = this.store.meta.notifyEnabled;
    return typeof v === 'boolean' ? v : this.defaults.enabled;
  }
  set notifyEnabled(value: boolean) {
    this.store.meta.notifyEnabled = value;
    this.store.changed('meta');
  }

  get targets(): NotificationTarget[] {
    return (this.store.meta.notificationTargets as NotificationTarget[] | undefined) ?? [];
  }
  /** Registering the same URL again updates it (targets persist, and the sandbox registers on every start). */
  addTarget(t: Omit<NotificationTarget, 'id'>): NotificationTarget {
    const existing = this.targets.find((x) => x.url === t.url);
    const target = { id: existing?.id ?? this.store.nextId('notification_targets'), ...t, secret: t.secret ?? this.defaults.secret };
    this.store.meta.notificationTargets = [...this.targets.filter((x) => x.url !== t.url), target];
    this.store.changed('meta');
    return target;
  }
  clearTargets(): void {
    this.store.meta.notificationTargets = [];
    this.store.changed('meta');
  }

  get paymentWebhooks(): PaymentWebhookConfig[] {
    return (this.store.meta.paymentWebhooks as PaymentWebhookConfig[] | undefined) ?? [];
  }
  setPaymentWebhooks(cfg: PaymentWebhookConfig): void {
    this.store.meta.paymentWebhooks = [...this.paymentWebhooks.filter((c) => c.payment_type_id !== cfg.payment_type_id), cfg];
    this.store.changed('meta');
  }
  paymentHookFor(paymentTypeId: number | null | undefined, op: PaymentOperation): string | undefined {
    return this.paymentWebhooks.find((c) => c.payment_type_id === paymentTypeId)?.[op];
  }

  /** One payment-type webhook call, awaited: the POS waits for the answer before finishing. */
  async callPayment(url: string, body: { payment_id: string; amount: string; number?: string }): Promise<PaymentCallResult> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* non-JSON answers are kept as text */
      }
      return { ok: res.status === 200, status: res.status, body: parsed };
    } catch (err) {
      return { ok: false, status: 0, body: undefined, error: (err as Error).message };
    }
  }

  /** ASSUMED notification; fire-and-forget with two retries, recorded in `deliveries`. */
  notify(event: string, resourceType: string, resourceId: number | string, extra: Record<string, unknown> = {}): void {
    if (!this.notifyEnabled) return;
    const payload = { event, resource_type: resourceType, resource_id: resourceId, occurred_at: new Date().toISOString(), ...extra };
    for (const target of this.targets) {
      if (target.events?.length && !target.events.includes(event)) continue;
      const p = this.deliver(target, payload).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  private async deliver(target: NotificationTarget, payload: { event: string; resource_id: number | string }): Promise<void> {
    let status = 0;
    let attempts = 0;
    for (; attempts < 3 && !(status >= 200 && status < 300); ) {
      attempts++;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(target.secret ? { [NOTIFICATION_SECRET_HEADER]: target.secret } : {}) },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch {
        status = 0;
      }
      if (!(status >= 200 && status < 300) && attempts < 3) await new Promise((r) => setTimeout(r, 200 * attempts));
    }
    const ok = status >= 200 && status < 300;
    if (ok) this.counts.sent++;
    else this.counts.failed++;
    this.deliveries.push({ target: target.id, event: payload.event, resource_id: payload.resource_id, status, attempts, at: new Date().toISOString() });
    if (this.deliveries.length > 1000) this.deliveries.splice(0, this.deliveries.length - 1000);
  }

  /** Waits for notifications in flight (used on close and by tests). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
