/**
 * Comments on the Magento order are how the merchant sees, on the order itself, what the connector
 * did ("Sent to Heartland as order #…") or could not do (a dead letter's reason). Every flow posts
 * them through here so the same comment is never posted twice on one order, whatever retries,
 * replays and redeliveries do.
 */
import type { CommerceClient } from '../../commerce/client';
import type { Logger } from '../../platform/ports';

export interface CommentOptions {
  /** Visible to the customer (and e-mailed when Magento is set to). */
  notifyCustomer?: boolean;
  /** Comments already on the order, when the caller has just read it (saves a request). */
  known?: Array<{ comment?: string | null }> | null;
}

export async function commentOnce(commerce: CommerceClient, orderId: number, text: string, options: CommentOptions = {}): Promise<boolean> {
  const known = options.known ?? (await commerce.orders.comments(orderId));
  if (known.some((c) => c.comment === text)) return false;
  await commerce.orders.addComment(orderId, {
    comment: text,
    is_customer_notified: options.notifyCustomer ? 1 : 0,
    is_visible_on_front: options.notifyCustomer ? 1 : 0,
  });
  return true;
}

/** For failure notes: a comment that cannot be posted must not hide the failure being reported. */
export async function commentQuietly(commerce: CommerceClient, orderId: number, text: string, logger: Logger, options: CommentOptions = {}): Promise<void> {
  try {
    await commentOnce(commerce, orderId, text, options);
  } catch (error) {
    logger.warn('could not post the Magento order comment', { orderId, error: String(error) });
  }
}
