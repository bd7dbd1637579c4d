/**
 * Finding "the same customer" on the other side, in the order the merchant was promised:
 * 1. the link the connector stored when it last wrote the pair;
 * 2. the other side's own reference (Heartland custom field `magento_customer_id`);
 * 3. the email, trimmed and case-insensitive;
 * 4. settings.customers.secondaryMatch: same last name and same phone digits.
 * Every candidate list comes back whole so the caller can see duplicates instead of taking the
 * first hit.
 */
import type { HeartlandClient } from '../../heartland/client';
import type { CommerceClient } from '../../commerce/client';
import { searchCriteria } from '../../commerce/client';
import type { Customer as HeartlandCustomer } from '../../heartland/payloads';
import type { Customer as MagentoCustomer } from '../../commerce/payloads';
import { normalEmail, phoneDigits } from './field-groups';


/** At most this many same-last-name candidates are checked by phone (each costs a request). */
const SECONDARY_CANDIDATES = 10;
/** Shorter digit strings (extensions, partial numbers) are too weak to identify a person. */
const MIN_PHONE_DIGITS = 7;

export async function heartlandCustomersByEmail(hl: HeartlandClient, email: string): Promise<HeartlandCustomer[]> {
  const wanted = normalEmail(email);
  if (!wanted) return [];
  // `query=` is a case-insensitive text search (heartland.md §2.2 [O]); the exact filter is the
  // documented form. Both, because neither alone is confirmed to catch "Jo@X.com" vs "jo@x.com".
  const [exact, searched] = await Promise.all([hl.customers.findByEmail(email.trim()), hl.customers.search(email.trim(), 50)]);
  const byId = new Map<number, HeartlandCustomer>();
  for (const c of [...(exact ? [exact] : []), ...searched]) if (normalEmail(c.email) === wanted) byId.set(c.id, c);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export async function magentoCustomersByEmail(commerce: CommerceClient, email: string): Promise<MagentoCustomer[]> {
  const wanted = normalEmail(email);
  if (!wanted) return [];
  const found = await commerce.customers.findByEmail(email.trim());
  return found.filter((c) => normalEmail(c.email) === wanted).sort((a, b) => a.id - b.id);
}

export async function heartlandByPhoneAndLastName(hl: HeartlandClient, lastName: string, phone: string | null): Promise<HeartlandCustomer[]> {
  const digits = phoneDigits(phone);
  if (digits.length < MIN_PHONE_DIGITS || !lastName.trim()) return [];
  const candidates = (await hl.customers.search(lastName.trim(), 50))
    .filter((c) => (c.last_name ?? '').trim().toLowerCase() === lastName.trim().toLowerCase())
    .slice(0, SECONDARY_CANDIDATES);
  const out: HeartlandCustomer[] = [];
  for (const c of candidates) {
    const addresses = await hl.customers.listAddresses(c.id);
    if (addresses.some((a) => phoneDigits(a.phone).endsWith(digits.slice(-10)) && phoneDigits(a.phone).length >= MIN_PHONE_DIGITS)) out.push(c);
  }
  return out;
}

export async function magentoByPhoneAndLastName(commerce: CommerceClient, lastName: string, phone: string | null): Promise<MagentoCustomer[]> {
  const digits = phoneDigits(phone);
  if (digits.length < MIN_PHONE_DIGITS || !lastName.trim()) return [];
  const result = await commerce.customers.search(searchCriteria().where('lastname', lastName.trim()).page(SECONDARY_CANDIDATES, 1));
  return result.items.filter((c) =>
    (c.addresses ?? []).some((a) => phoneDigits(a.telephone).length >= MIN_PHONE_DIGITS && phoneDigits(a.telephone).endsWith(digits.slice(-10))),
  );
}
