/**
 * The customer fields the connector keeps in step, split into the groups conflicts are decided on
 * (names, email, addresses, mapped attributes). Both directions reduce a record to the same
 * system-neutral shape, so "what we last wrote into Magento" and "what Magento shows now" compare
 * equal exactly when nobody else touched the record: that is what echo suppression and conflict
 * detection both rest on.
 */
import type { Customer } from '../../model/customer';
import type { ConnectorSettings } from '../../config/connector-settings';

export const FIELD_GROUPS = ['names', 'email', 'addresses', 'attributes'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

export interface CustomerGroups {
  names: { firstName: string; lastName: string };
  email: string;
  /** One normalised tuple per address, sorted: the two systems keep address books in different orders. */
  addresses: string[][];
  /** Mapped attributes keyed by the Heartland field name, values as text (Magento returns strings). */
  attributes: Record<string, string>;
}

export type AttributeMap = ConnectorSettings['customers']['attributeMap'];

/** Emails match case-insensitively once trimmed (the matching rule the merchant was promised). */
export function normalEmail(email: string | null | undefined): string {
  return (email ?? '').trim().toLowerCase();
}

/** Digits only, so "555-0100" and "(555) 0100" match for the secondary rule. */
export function phoneDigits(phone: string | null | undefined): string {
  return (phone ?? '').replace(/\D/g, '');
}

function text(v: string | null | undefined): string {
  return (v ?? '').trim();
}

function addressTuple(a: Customer['addresses'][number]): string[] {
  return [
    text(a.firstName),
    text(a.lastName),
    text(a.company),
    text(a.line1),
    text(a.line2),
    text(a.city),
    text(a.regionCode ?? a.region).toUpperCase(),
    text(a.postalCode).toUpperCase(),
    a.country,
    phoneDigits(a.phone),
  ];
}

/** Address tuples in the record's own order (index-aligned with `customer.addresses`), for planning writes. */
export function addressTuples(customer: Customer): string[][] {
  return customer.addresses.map(addressTuple);
}

/** The groups of a canonical customer read from either system. */
export function customerGroups(customer: Customer, attributeMap: AttributeMap): CustomerGroups {
  const attributes: Record<string, string> = {};
  for (const { heartlandField, magentoAttribute } of attributeMap) {
    const key = customer.sourceSystem === 'heartland' ? heartlandField : magentoAttribute;
    const value = customer.attributes[key];
    if (value !== undefined && value !== null && value !== '') attributes[heartlandField] = String(value);
  }
  return {
    names: { firstName: text(customer.firstName), lastName: text(customer.lastName) },
    email: normalEmail(customer.email),
    addresses: addressTuples(customer).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    attributes,
  };
}

export function sameGroup(a: CustomerGroups, b: CustomerGroups, group: FieldGroup): boolean {
  return JSON.stringify(a[group]) === JSON.stringify(b[group]);
}

/** Groups whose values differ between two snapshots. */
export function changedGroups(a: CustomerGroups, b: CustomerGroups): FieldGroup[] {
  return FIELD_GROUPS.filter((g) => !sameGroup(a, b, g));
}
