/** Heartland addresses (`line_1`/`line_2`, one `state` field: code or name) ↔ canonical addresses (heartland.md §3.2). */
import type { Address } from '../../model/address';
import { abbreviateStreet, normalizePhone, toTwoLines } from '../../model/address-standards';
import type { FieldIssue } from '../../model/field-issues';
import { countryCode, resolveRegion } from '../../model/regions';
import type { Address as HeartlandAddress, AddressCreate } from '../payloads';

export function addressFromHeartland(address: HeartlandAddress, where: string): { ok: true; value: Address } | { ok: false; issues: FieldIssue[] } {
  const country = countryCode(address.country);
  if (!country) {
    return { ok: false, issues: [{ path: `${where}.country`, message: address.country ? `not a country: ${JSON.stringify(address.country)}` : 'required' }] };
  }
  const state = address.state?.trim() || null;
  const looksLikeCode = !!state && /^[A-Za-z]{2,3}$/.test(state);
  const region = resolveRegion(country, looksLikeCode ? null : state, looksLikeCode ? state : null);
  const { line1, line2 } = toTwoLines([address.line_1, address.line_2]);
  return {
    ok: true,
    value: {
      firstName: address.first_name?.trim() ?? '',
      lastName: address.last_name?.trim() ?? '',
      company: address.company?.trim() || null,
      line1,
      line2,
      city: address.city?.trim() ?? '',
      region: region.region,
      regionCode: region.regionCode,
      postalCode: address.postal_code?.trim() || null,
      country,
      phone: normalizePhone(address.phone, country),
    },
  };
}

export interface AddressOutOptions {
  abbreviateStreets?: boolean;
  /** Names to use when the address has none (Heartland requires both on addresses). */
  fallbackName?: { firstName: string; lastName: string };
}

/** Canonical → Heartland address body; `state` gets the code where one exists, as Heartland's importer prefers. */
export function addressToHeartland(address: Address, options: AddressOutOptions = {}): AddressCreate {
  const fix = (line: string | null) => (line && options.abbreviateStreets ? abbreviateStreet(line) : line);
  return {
    first_name: address.firstName || options.fallbackName?.firstName || '-',
    last_name: address.lastName || options.fallbackName?.lastName || '-',
    company: address.company,
    line_1: fix(address.line1),
    line_2: fix(address.line2),
    city: address.city,
    state: address.regionCode ?? address.region,
    postal_code: address.postalCode,
    country: address.country,
    phone: address.phone,
  };
}

/** Same address for the purpose of not creating it twice on one customer. */
export function sameAddress(a: Address | null, b: Address | null): boolean {
  if (!a || !b) return false;
  const keys: Array<keyof Address> = ['firstName', 'lastName', 'company', 'line1', 'line2', 'city', 'regionCode', 'region', 'postalCode', 'country', 'phone'];
  return keys.every((k) => (a[k] ?? '').toString().toLowerCase() === (b[k] ?? '').toString().toLowerCase());
}
