/** A postal address as both systems understand it once standardised (see address-standards.ts). */
import { z } from 'zod';

const text = z.string().trim();
const optionalText = z.string().trim().nullable();

export const Address = z.object({
  firstName: text,
  lastName: text,
  company: optionalText,
  line1: text,
  /** Second street line; a third and further Magento street lines are joined onto it with ", ". */
  line2: optionalText,
  city: text,
  /** Region name ("New York"); null when the country has none. */
  region: optionalText,
  /** Region code ("NY") where one exists. */
  regionCode: optionalText,
  postalCode: optionalText,
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "US"'),
  phone: optionalText,
});
export type Address = z.infer<typeof Address>;

/** An address kept on a customer record, with the flags and id that belong to the record. */
export const CustomerAddress = Address.extend({
  /** The address id in the system it came from, when known. */
  sourceId: z.string().nullable(),
  isDefaultBilling: z.boolean(),
  isDefaultShipping: z.boolean(),
});
export type CustomerAddress = z.infer<typeof CustomerAddress>;
