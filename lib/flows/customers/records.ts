/**
 * Reading a customer from either system into the canonical model plus its field groups, the way
 * both flows need it: as the source of a change, as the current target before a write, and as the
 * read-back after the write (the echo we expect to come back).
 */
import type { HeartlandClient } from '../../heartland/client';
import type { CommerceClient } from '../../commerce/client';
import { createMappingRepository, effectiveOptions, mapEntity, type MappingDocument } from '../../mapping';
import type { StateStore } from '../../platform/ports';
import type { Address as HeartlandAddress, Customer as HeartlandCustomer } from '../../heartland/payloads';
import type { Customer as MagentoCustomer } from '../../commerce/payloads';
import type { Customer } from '../../model/customer';
import { MappingError, TerminalError } from '../../sync';
import { customerGroups, type AttributeMap, type CustomerGroups } from './field-groups';

/**
 * A customer through the merchant's effective mapping document (lib/mapping): the defaults plus the
 * rules and options edited in the panel, so a rule like "custom field loyalty → attribute" applies
 * here exactly as the mapping preview shows it.
 */
function canonicalVia(from: 'commerce' | 'heartland', input: unknown, document: MappingDocument): Customer {
  const outcome = mapEntity({ entity: 'customer', from, to: 'canonical', input, document });
  if (outcome.status === 'invalid') {
    const first = outcome.issues[0];
    throw new MappingError(first?.path || '(customer)', outcome.issues.map((i) => `${i.path || '(customer)'}: ${i.message}`).join('; '));
  }
  if (outcome.status === 'unsupported') throw new TerminalError(outcome.message, { code: 'mapping' });
  return outcome.canonical as Customer;
}

/** The mapping document's filter for sending this customer on (e.g. "only customers of website 1"); a reason skips it. */
export function outboundFilterReason(from: 'commerce' | 'heartland', input: unknown, document: MappingDocument): string | undefined {
  const outcome = mapEntity({ entity: 'customer', from, to: 'canonical', input, document });
  return outcome.status === 'mapped' && outcome.filter && !outcome.filter.decision.run ? outcome.filter.decision.reason : undefined;
}

export async function loadMappingDocument(state: StateStore): Promise<MappingDocument> {
  return createMappingRepository(state).effective();
}

/** Heartland custom field holding the Magento customer id (mapping option `customerIdField`). */
export function customerIdField(document: MappingDocument): string {
  return effectiveOptions(document).customerIdField;
}

export interface HeartlandCustomerRecord {
  customer: HeartlandCustomer;
  addresses: HeartlandAddress[];
  attributeMap: AttributeMap;
  document: MappingDocument;
}

export interface MagentoCustomerRecord {
  customer: MagentoCustomer;
  attributeMap: AttributeMap;
  document: MappingDocument;
}

export function heartlandCanonical(record: Pick<HeartlandCustomerRecord, 'customer' | 'addresses' | 'document'>): Customer {
  return canonicalVia('heartland', { customer: record.customer, addresses: record.addresses }, record.document);
}

export function magentoCanonical(record: Pick<MagentoCustomerRecord, 'customer' | 'document'>): Customer {
  return canonicalVia('commerce', record.customer, record.document);
}

export async function readHeartlandCustomer(hl: HeartlandClient, id: number, attributeMap: AttributeMap, document: MappingDocument): Promise<HeartlandCustomerRecord | undefined> {
  const customer = await hl.customers.find(id);
  if (!customer) return undefined;
  return { customer, addresses: await hl.customers.listAddresses(id), attributeMap, document };
}

export async function readMagentoCustomer(commerce: CommerceClient, id: number, attributeMap: AttributeMap, document: MappingDocument): Promise<MagentoCustomerRecord | undefined> {
  const customer = await commerce.customers.find(id);
  return customer ? { customer, attributeMap, document } : undefined;
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
