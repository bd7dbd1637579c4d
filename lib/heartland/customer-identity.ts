/**
 * Creating a Heartland customer that carries the Magento customer id in a unique custom field.
 *
 * Two flows may create the same person at the same moment: the order flow (the customer placing
 * an order) and the customer flow (the customer saved in Magento). Both search first, both find
 * nothing, both create; Heartland's uniqueness check lets one through and answers the other 422
 * "has already been taken". That 422 is not a failure: the customer exists, so look it up by the
 * same reference and use it. Anything else is rethrown unchanged.
 */
import type { HeartlandClient } from './client';
import { fieldErrors, isHeartlandError } from './errors';

export interface CustomerReference {
  /** Heartland custom field holding the Magento id (default `magento_customer_id`). */
  field: string;
  value: string;
}

/** Whether a Heartland error says this reference field is already taken by another customer. */
export function isReferenceTaken(err: unknown, field: string): boolean {
  if (!isHeartlandError(err) || (err.status !== 422 && err.status !== 400)) return false;
  const errors = fieldErrors(err) ?? {};
  const messages = [...(errors[`custom@${field}`] ?? []), ...(errors[`custom.${field}`] ?? []), ...(errors[field] ?? [])];
  return messages.some((m) => /taken|exists|unique/i.test(m));
}

/**
 * Runs `create`; when Heartland refuses it because `reference` is already taken, answers the id
 * of the customer holding that reference instead.
 */
export async function createCustomerUnlessTaken(
  hl: HeartlandClient,
  reference: CustomerReference | undefined,
  create: () => Promise<number>,
): Promise<{ id: number; created: boolean }> {
  try {
    return { id: await create(), created: true };
  } catch (err) {
    if (!reference || !isReferenceTaken(err, reference.field)) throw err;
    const existing = await hl.customers.findByCustom(reference.field, reference.value);
    if (!existing) throw err;
    return { id: existing.id, created: false };
  }
}
