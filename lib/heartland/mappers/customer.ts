/** Heartland customers (+ addresses) ↔ canonical customers (heartland.md §3.2). */
import type { CustomerAddress } from '../../model/address';
import { Customer as CanonicalCustomer, type AttributeValue, type CustomerInput as CanonicalCustomerInput } from '../../model/customer';
import { type FieldIssue, zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { placeholder, type PlannedRequest } from '../../model/planned-request';
import { Address as HeartlandAddress, Customer as HeartlandCustomer, type AddressCreate, type CustomerCreate } from '../payloads';
import { addressFromHeartland, addressToHeartland, type AddressOutOptions } from './address';
import { z } from 'zod';

const scalar = (v: unknown): AttributeValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);

/** `{customer, addresses}` as read from `/customers/{id}` and `/customers/{id}/addresses`. */
const CustomerWithAddresses = z.object({ customer: HeartlandCustomer, addresses: z.array(HeartlandAddress).default([]) });

export interface CustomerFromHeartlandOptions {
  /** Custom fields carried into canonical attributes (default: all). */
  attributeFields?: string[];
}

export function customerFromHeartland(input: unknown, options: CustomerFromHeartlandOptions = {}): MapResult<CanonicalCustomer> {
  // A customer read with its addresses embedded is accepted too.
  const isWrapped = typeof input === 'object' && input !== null && 'customer' in input;
  const parsed = isWrapped ? parseInput(CustomerWithAddresses, input) : parseInput(HeartlandCustomer, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const { customer, addresses: rawAddresses } =
    'customer' in parsed.value ? (parsed.value as z.output<typeof CustomerWithAddresses>) : { customer: parsed.value, addresses: parsed.value.addresses ?? [] };
  const issues: FieldIssue[] = [];
  const addresses: CustomerAddress[] = [];
  rawAddresses.forEach((a, i) => {
    const r = addressFromHeartland(a, `addresses[${i}]`);
    if (!r.ok) return issues.push(...r.issues);
    // ASSUMED: Heartland has no default-address flags (heartland.md §3.2); the first address is the default.
    addresses.push({ ...r.value, sourceId: String(a.id), isDefaultBilling: i === 0, isDefaultShipping: i === 0 });
  });
  if (issues.length) return mapFailed(issues);
  const fields = options.attributeFields ?? Object.keys(customer.custom ?? {});
  const attributes: Record<string, AttributeValue> = {};
  for (const key of fields) if (customer.custom && key in customer.custom) attributes[key] = scalar(customer.custom[key]);
  const canonical: CanonicalCustomerInput = {
    email: customer.email?.trim() ?? '',
    firstName: customer.first_name ?? '',
    lastName: customer.last_name ?? '',
    phone: addresses[0]?.phone ?? null,
    addresses,
    sourceSystem: 'heartland',
    sourceId: String(customer.id),
    attributes,
    updatedAt: customer.updated_at ?? null,
  };
  const result = CanonicalCustomer.safeParse(canonical, { reportInput: true });
  if (!result.success) {
    // Name the Heartland field, not the canonical one, so the merchant knows what to fix.
    const rename: Record<string, string> = { email: 'email', firstName: 'first_name', lastName: 'last_name' };
    return mapFailed(zodIssues(result.error).map((i) => ({ ...i, path: rename[i.path] ?? i.path })));
  }
  return mapped(result.data);
}

export interface CustomerToHeartlandOptions extends AddressOutOptions {
  /** Custom field holding the Magento customer id (default `magento_customer_id`). */
  customerIdField?: string;
  /** Canonical attributes written as custom fields (default: none; Heartland rejects unknown custom fields). */
  attributeFields?: string[];
}

export function customerToHeartland(customer: CanonicalCustomer, options: CustomerToHeartlandOptions = {}): { customer: CustomerCreate; addresses: AddressCreate[] } {
  const custom: Record<string, unknown> = {};
  if (customer.sourceSystem === 'commerce' && customer.sourceId) custom[options.customerIdField ?? 'magento_customer_id'] = customer.sourceId;
  for (const key of options.attributeFields ?? []) if (customer.attributes[key] !== undefined) custom[key] = customer.attributes[key];
  return {
    customer: { first_name: customer.firstName, last_name: customer.lastName, email: customer.email, ...(Object.keys(custom).length ? { custom } : {}) },
    addresses: customer.addresses.map((a) => addressToHeartland({ ...a, phone: a.phone ?? customer.phone }, { ...options, fallbackName: customer })),
  };
}

/** Create or update the customer, then add its addresses. */
export function customerToHeartlandRequests(
  customer: CanonicalCustomer,
  options: CustomerToHeartlandOptions & { heartlandCustomerId?: number } = {},
): PlannedRequest[] {
  const { customer: body, addresses } = customerToHeartland(customer, options);
  const id = options.heartlandCustomerId ?? placeholder('heartland.customer_id', { email: customer.email });
  const first: PlannedRequest =
    options.heartlandCustomerId !== undefined
      ? { method: 'PUT', path: `/customers/${id}`, body }
      : { method: 'POST', path: '/customers', body, note: `only when no Heartland customer is linked or has email ${customer.email}` };
  return [
    first,
    ...addresses.map((a): PlannedRequest => ({ method: 'POST', path: `/customers/${id}/addresses`, body: a, note: 'only for addresses the customer does not have yet' })),
  ];
}
