/** Magento customers ↔ canonical customers. */
import type { CustomerAddress } from '../../model/address';
import { Customer as CanonicalCustomer, type AttributeValue, type CustomerInput as CanonicalCustomerInput } from '../../model/customer';
import type { FieldIssue } from '../../model/field-issues';
import { zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import type { PlannedRequest } from '../../model/planned-request';
import { Customer as MagentoCustomer, type CustomerInput as MagentoCustomerInput } from '../payloads';
import { addressFromMagento, addressToMagentoCustomer, type AddressOutOptions } from './address';
import { blanksToNull, unwrapEvent } from './magento-input';
import { magentoTimeToIso } from './order';

const scalar = (v: unknown): AttributeValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);

export function customerFromMagento(input: unknown): MapResult<CanonicalCustomer> {
  const { value, shape } = unwrapEvent(input);
  // Customer events name the id `entity_id`; REST uses `id`.
  const raw = shape === 'event' ? (blanksToNull(value) as Record<string, unknown>) : (value as Record<string, unknown>);
  const withId = raw && typeof raw === 'object' && raw.id === undefined && raw.entity_id !== undefined ? { ...raw, id: raw.entity_id } : raw;
  const parsed = parseInput(MagentoCustomer, withId);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const c = parsed.value;
  const issues: FieldIssue[] = [];
  const addresses: CustomerAddress[] = [];
  const defaultBilling = c.default_billing != null ? String(c.default_billing) : null;
  const defaultShipping = c.default_shipping != null ? String(c.default_shipping) : null;
  (c.addresses ?? []).forEach((a, i) => {
    const r = addressFromMagento(a, `addresses[${i}]`);
    if (!r.ok) return issues.push(...r.issues);
    const sourceId = a.id != null ? String(a.id) : null;
    addresses.push({
      ...r.value,
      sourceId,
      isDefaultBilling: a.default_billing ?? (sourceId !== null && sourceId === defaultBilling),
      isDefaultShipping: a.default_shipping ?? (sourceId !== null && sourceId === defaultShipping),
    });
  });
  if (issues.length) return mapFailed(issues);
  const preferred = addresses.find((a) => a.isDefaultBilling) ?? addresses[0];
  const attributes: Record<string, AttributeValue> = {};
  for (const attr of c.custom_attributes ?? []) attributes[attr.attribute_code] = scalar(attr.value);
  const canonical: CanonicalCustomerInput = {
    email: c.email.trim(),
    firstName: c.firstname,
    lastName: c.lastname,
    phone: preferred?.phone ?? null,
    addresses,
    sourceSystem: 'commerce',
    sourceId: String(c.id),
    groupId: c.group_id != null ? String(c.group_id) : null,
    attributes,
    updatedAt: magentoTimeToIso(c.updated_at),
  };
  const result = CanonicalCustomer.safeParse(canonical, { reportInput: true });
  return result.success ? mapped(result.data) : mapFailed(zodIssues(result.error));
}

export interface CustomerToMagentoOptions extends AddressOutOptions {
  /** Magento customer id when updating a linked customer; without it the request creates one. */
  customerId?: number;
  websiteId?: number;
  /** Which canonical attributes to send as custom attributes (default: all). */
  attributeCodes?: string[];
}

/** The body for `POST /V1/customers` or `PUT /V1/customers/{id}` (commerce.md §2.7). */
export function customerToMagento(customer: CanonicalCustomer, options: CustomerToMagentoOptions = {}): { customer: MagentoCustomerInput } {
  const codes = options.attributeCodes ?? Object.keys(customer.attributes);
  const custom = codes
    .filter((code) => customer.attributes[code] !== undefined)
    .map((code) => ({ attribute_code: code, value: customer.attributes[code] }));
  const body: MagentoCustomerInput = {
    email: customer.email,
    firstname: customer.firstName,
    lastname: customer.lastName,
    addresses: customer.addresses.map((a) => {
      const out = addressToMagentoCustomer(a, options);
      // Heartland keeps the phone on the address; fall back to the customer's phone so Magento accepts it.
      return { ...out, telephone: out.telephone ?? customer.phone ?? undefined };
    }),
    ...(custom.length ? { custom_attributes: custom } : {}),
  };
  if (options.customerId !== undefined) body.id = options.customerId;
  if (options.websiteId !== undefined) body.website_id = options.websiteId;
  if (customer.groupId && /^\d+$/.test(customer.groupId)) body.group_id = Number(customer.groupId);
  return { customer: body };
}

export function customerToMagentoRequest(customer: CanonicalCustomer, options: CustomerToMagentoOptions = {}): PlannedRequest {
  const body = customerToMagento(customer, options);
  return options.customerId !== undefined
    ? { method: 'PUT', path: `/V1/customers/${options.customerId}`, body }
    : { method: 'POST', path: '/V1/customers', body, note: 'only when no Magento customer is linked or has this email' };
}
