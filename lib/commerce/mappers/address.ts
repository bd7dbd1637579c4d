/** Magento addresses (order and customer) ↔ canonical addresses. */
import type { Address, CustomerAddress } from '../../model/address';
import { abbreviateStreet, normalizePhone, streetLines, toTwoLines } from '../../model/address-standards';
import type { FieldIssue } from '../../model/field-issues';
import { countryCode, resolveRegion } from '../../model/regions';

/** The fields shared by order addresses and customer addresses (customer addresses have a region object). */
export interface AnyMagentoAddress {
  firstname?: string | null;
  lastname?: string | null;
  company?: string | null;
  street?: string[] | string | null;
  city?: string | null;
  region?: string | { region?: string | null; region_code?: string | null } | null;
  region_code?: string | null;
  postcode?: string | null;
  country_id?: string | null;
  telephone?: string | null;
}

/** A Magento address as canonical, or the problems at `where` (e.g. `billing_address`). */
export function addressFromMagento(address: AnyMagentoAddress, where: string): { ok: true; value: Address } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const country = countryCode(address.country_id);
  if (!country) issues.push({ path: `${where}.country_id`, message: address.country_id ? `not a country: ${JSON.stringify(address.country_id)}` : 'required' });
  if (issues.length) return { ok: false, issues };
  const regionObject = typeof address.region === 'object' && address.region !== null ? address.region : null;
  const regionName = regionObject ? regionObject.region : (address.region as string | null | undefined);
  const regionCode = regionObject ? regionObject.region_code : address.region_code;
  const region = resolveRegion(country!, regionName, regionCode);
  const { line1, line2 } = toTwoLines(streetLines(address.street));
  return {
    ok: true,
    value: {
      firstName: address.firstname?.trim() ?? '',
      lastName: address.lastname?.trim() ?? '',
      company: address.company?.trim() || null,
      line1,
      line2,
      city: address.city?.trim() ?? '',
      region: region.region,
      regionCode: region.regionCode,
      postalCode: address.postcode?.trim() || null,
      country: country!,
      phone: normalizePhone(address.telephone, country),
    },
  };
}

/** A customer address as the connector writes it (a subset of `CustomerAddress` in ../payloads). */
export interface MagentoCustomerAddressBody {
  firstname: string;
  lastname: string;
  company?: string;
  street: string[];
  city: string;
  region: { region: string | null; region_code: string | null };
  postcode?: string;
  country_id: string;
  telephone?: string;
  default_billing: boolean;
  default_shipping: boolean;
}

export interface AddressOutOptions {
  /** Rewrite "Street" → "St" etc. (merchant option, off by default). */
  abbreviateStreets?: boolean;
}

function street(address: Address, options: AddressOutOptions): string[] {
  const lines = [address.line1, address.line2].filter((l): l is string => !!l);
  return options.abbreviateStreets ? lines.map(abbreviateStreet) : lines;
}

/** Canonical → Magento customer address (`region` object, `street[]`). */
export function addressToMagentoCustomer(
  address: Address & Partial<Pick<CustomerAddress, 'isDefaultBilling' | 'isDefaultShipping'>>,
  options: AddressOutOptions = {},
): MagentoCustomerAddressBody {
  return {
    firstname: address.firstName,
    lastname: address.lastName,
    company: address.company ?? undefined,
    street: street(address, options),
    city: address.city,
    region: { region: address.region ?? null, region_code: address.regionCode ?? null },
    postcode: address.postalCode ?? undefined,
    country_id: address.country,
    // Magento requires a telephone on addresses; an empty one is rejected, so send what we have.
    telephone: address.phone ?? undefined,
    default_billing: address.isDefaultBilling ?? false,
    default_shipping: address.isDefaultShipping ?? false,
  };
}
