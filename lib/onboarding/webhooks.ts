/**
 * Webhook URLs Heartland calls: the custom payment type webhooks of the gift card payment type
 * (heartland.md §3.9: Capture, Refund, Void, Check Balance, entered in Heartland under Settings →
 * Payment types) and the ASSUMED event notifications. Heartland has no documented API to set
 * either, so on a real account they are a manual step `hcc setup` prints; against the sandbox
 * simulator they are registered through its `/__sim/` controls.
 */
import { probe } from './probe';

export const PAYMENT_WEBHOOK_OPERATIONS = ['capture', 'refund', 'void', 'check_balance'] as const;
export type PaymentWebhookOperation = (typeof PAYMENT_WEBHOOK_OPERATIONS)[number];

/** `https://<namespace>.adobeioruntime.net/api/v1/web/connector/heartland-webhook` (appbuilder.md §2.4). */
export function defaultWebhookBaseUrl(namespace: string): string {
  return `https://${namespace}.adobeioruntime.net/api/v1/web/connector/heartland-webhook`;
}

/**
 * ASSUMED kinds `payment/<operation>`: the heartland-webhook action routes any kind other than
 * `notification` to the areas' `handleHeartlandWebhook` (lib/flows/area.ts names `payment/capture`).
 */
export function giftCardWebhookUrls(baseUrl: string, secret: string): Record<PaymentWebhookOperation, string> {
  const root = `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(secret)}`;
  return Object.fromEntries(PAYMENT_WEBHOOK_OPERATIONS.map((op) => [op, `${root}/payment/${op}`])) as Record<PaymentWebhookOperation, string>;
}

export function notificationWebhookUrl(baseUrl: string, secret: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(secret)}/notification`;
}

/** The simulator's origin from the API root (`http://127.0.0.1:9081/api` → `http://127.0.0.1:9081`). */
function simulatorOrigin(heartlandBaseUrl: string): string {
  return new URL(heartlandBaseUrl).origin;
}

export type Registration = 'created' | 'unchanged';

/** Sandbox only: sets the gift card payment type's webhook URLs on the Heartland simulator. */
export async function registerSandboxPaymentWebhooks(heartlandBaseUrl: string, paymentTypeId: string, urls: Record<PaymentWebhookOperation, string>): Promise<Registration> {
  const origin = simulatorOrigin(heartlandBaseUrl);
  const current = await probe({ url: `${origin}/__sim/payment-webhooks` });
  if (current.kind === 'network' || current.status !== 200) throw new Error(`the Heartland simulator's /__sim/payment-webhooks did not answer (is HEARTLAND_BASE_URL the sandbox simulator?)`);
  const hooks = ((current.body as { webhooks?: unknown }).webhooks ?? {}) as Record<string, Record<string, string>> | Array<Record<string, unknown>>;
  const existing = Array.isArray(hooks) ? hooks.find((h) => String(h.payment_type_id) === paymentTypeId) : hooks[paymentTypeId];
  if (existing && PAYMENT_WEBHOOK_OPERATIONS.every((op) => existing[op] === urls[op])) return 'unchanged';
  const r = await probe({ method: 'POST', url: `${origin}/__sim/payment-webhooks`, body: { payment_type_id: Number(paymentTypeId), ...urls } });
  if (r.kind === 'network' || r.status >= 400) throw new Error(`registering the gift card webhooks with the Heartland simulator failed${r.kind === 'answer' ? ` (${r.status}: ${r.text.slice(0, 200)})` : ''}`);
  return 'created';
}

/** Sandbox only: registers the notification webhook (ASSUMED Heartland event webhooks) unless it is there. */
export async function registerSandboxNotifications(heartlandBaseUrl: string, url: string, secret: string): Promise<Registration> {
  const origin = simulatorOrigin(heartlandBaseUrl);
  const current = await probe({ url: `${origin}/__sim/notifications` });
  if (current.kind === 'network' || current.status !== 200) throw new Error(`the Heartland simulator's /__sim/notifications did not answer`);
  const targets = ((current.body as { targets?: { url?: string }[] }).targets ?? []) as { url?: string }[];
  if (targets.some((t) => t.url === url)) return 'unchanged';
  const r = await probe({ method: 'POST', url: `${origin}/__sim/notifications`, body: { url, secret } });
  if (r.kind === 'network' || r.status >= 400) throw new Error('registering the notification webhook with the Heartland simulator failed');
  return 'created';
}
