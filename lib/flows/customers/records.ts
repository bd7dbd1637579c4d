/**
 * Reading a customer from either system into the canonical model plus its field groups, the way
 * both flows need it: as the source of a change, as the current target before a write, and as the
 * read-back after the write (the echo we expect to come back).
 */
import type { HeartlandClient } from '../../heartland/client';
import type { CommerceClient } from '../../commerce/client';
import { customerFromHeartland } from '../../heartland/mappers/customer';
import { customerFromMagento } from '../../commerce/mappers/customer';
import type { Address as HeartlandAddress, Customer as HeartlandCustomer } from '../../heartland/payloads';
import type { Customer as MagentoCustomer } from '../../commerce/payloads';
import type { Customer } from '../../model/customer';
import type { MapResult } from '../../model/map-result';
import { MappingError } from '../../sync';
import { customerGroups, type AttributeMap, type CustomerGroups } from './field-groups';

export function canonicalOrThrow(result: MapResult<Customer>): Customer {
  if (result.ok) return result.value;
  const first = result.issues[0];
  throw new MappingError(first?.path || '(customer)', result.issues.map((i) => `${i.path || '(customer)'}: ${i.message}`).join('; '));
}

export interface HeartlandCustomerRecord {
  customer: HeartlandCustomer;
  addresses: HeartlandAddress[];
  attributeMap: AttributeMap;
}

export interface MagentoCustomerRecord {
  customer: MagentoCustomer;
  attributeMap: AttributeMap;
}

export function heartlandCanonical(record: Pick<HeartlandCustomerRecord, 'customer' | 'addresses'>): Customer {
  return canonicalOrThrow(customerFromHeartland({ customer: record.customer, addresses: record.addresses }));
}

export function magentoCanonical(record: Pick<MagentoCustomerRecord, 'customer'>): Customer {
  return canonicalOrThrow(customerFromMagento(record.customer));
}

export async function readHeartlandCustomer(hl: HeartlandClient, id: number, attributeMap: AttributeMap): Promise<HeartlandCustomerRecord | undefined> {
  const customer = await hl.customers.find(id);
  if (!customer) return undefined;
  return { customer, addresses: await hl.customers.listAddresses(id), attributeMap };
}

export async function readMagentoCustomer(commerce: CommerceClient, id: number, attributeMap: AttributeMap): Promise<MagentoCustomerRecord | undefined> {
  const customer = await commerce.customers.find(id);
  return customer ? { customer, attributeMap } : undefined;
}

/** Groups of a record, or undefined when it does not map (the pipeline then finds no echo match). */
export function groupsOrUndefined(read: () => Customer, attributeMap: AttributeMap): CustomerGroups | undefined {
  try {
    return customerGroups(read(), attributeMap);
  } catch {
    return undefined;
  }
}

/** A numeric id from a link or custom field, or undefined when it is not one. */
export function numericId(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
