/** A customer as both systems hold one: names, email, phone and addresses, plus mapped attributes. */
import { z } from 'zod';
import { CustomerAddress } from './address';

export const SYSTEMS = ['commerce', 'heartland'] as const;
export const SystemName = z.enum(SYSTEMS);
export type SystemName = z.infer<typeof SystemName>;

/** Scalar values of custom fields / custom attributes. */
export const AttributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type AttributeValue = z.infer<typeof AttributeValue>;

export const Customer = z.object({
  email: z.string().trim().regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address'),
  firstName: z.string().trim().min(1, 'required'),
  lastName: z.string().trim().min(1, 'required'),
  /** Heartland keeps phones on addresses only; this is the default address's phone when known. */
  phone: z.string().nullable(),
  addresses: z.array(CustomerAddress),
  /** Which system this record was read from, and its id there. */
  sourceSystem: SystemName,
  sourceId: z.string().nullable(),
  /** Magento `group_id` when known. */
  groupId: z.string().nullable().default(null),
  /** Custom fields / custom attributes the mapping carries across (e.g. loyalty points). */
  attributes: z.record(z.string(), AttributeValue).default({}),
  updatedAt: z.string().nullable().default(null),
});
export type Customer = z.infer<typeof Customer>;
export type CustomerInput = z.input<typeof Customer>;
