/**
 * Magento customer → Heartland customer (names, email, addresses with phones, mapped custom
 * fields, and `magento_customer_id`). Triggered by `observer.customer_save_commit_after` and the
 * Magento customers feed; the Magento record is re-read every time (events are hints).
 */
import { createCustomerUnlessTaken } from '../../heartland/customer-identity';
import { loadConnectorSettings } from '../../config/connector-settings';
import { addressToHeartland } from '../../heartland/mappers/address';
import type { Address as HeartlandAddress, AddressCreate, CustomerCreate } from '../../heartland/payloads';
import type { HeartlandClient } from '../../heartland/client';
import type { Customer } from '../../model/customer';
import { defineFlow, type FlowContext, type WriteAction } from '../../sync';
import { isConnectorCopy, recordConflict, readSeen, resolveGroups, writeSeen } from './conflicts';
import { clearDuplicateReport, reportDuplicates, oldestFirst } from './duplicates';
import { addressTuples, customerGroups, type AttributeMap, type CustomerGroups, type FieldGroup } from './field-groups';
import { planAddresses } from './address-plan';
import { heartlandByPhoneAndLastName, heartlandCustomersByEmail, magentoCustomersByEmail } from './matching';
import { customerIdField, groupsOrUndefined, heartlandCanonical, loadMappingDocument, magentoCanonical, numericId, outboundFilterReason, readHeartlandCustomer, readMagentoCustomer, type MagentoCustomerRecord } from './records';
import type { MappingDocument } from '../../mapping';

export const CUSTOMER_ENTITY = 'customer';
export const CUSTOMER_TO_HEARTLAND = 'customer-to-heartland';

export interface HeartlandMatch {
  heartlandId?: number;
  via: 'link' | 'reference' | 'email' | 'phone-last-name' | 'none';
  /** Why the customer is held back (duplicates, a record already linked elsewhere). */
  hold?: string;
}

export interface HeartlandBoundCustomer {
  customer: Customer;
  groups: CustomerGroups;
  match: HeartlandMatch;
  attributeMap: AttributeMap;
  document: MappingDocument;
}

async function matchInHeartland(customer: Customer, idField: string, ctx: FlowContext): Promise<HeartlandMatch> {
  const settings = (await loadConnectorSettings(ctx.state)).customers;
  const hl = ctx.client('heartland');
  const magentoId = customer.sourceId!;
  const now = ctx.clock.now();

  const link = await ctx.links.get(CUSTOMER_ENTITY, 'commerce', magentoId);
  const linkedId = numericId(link?.id);
  const linkAlive = linkedId !== undefined && (await hl.customers.find(linkedId)) !== undefined;
  // A linked pair keeps syncing even if a duplicate appears later, unless duplicates are rejected.
  if (linkAlive && settings.duplicates !== 'reject') return { heartlandId: linkedId, via: 'link' };

  // Duplicates on the Magento side: the same email on several Magento customers.
  const magentoTwins = await magentoCustomersByEmail(ctx.client('commerce'), customer.email);
  if (magentoTwins.length > 1) {
    const ids = oldestFirst(magentoTwins.map((c) => String(c.id)));
    await reportDuplicates(ctx.files, { system: 'commerce', email: customer.email, ids, policy: settings.duplicates, now });
    if (settings.duplicates === 'reject') return { via: 'none', hold: `email ${customer.email} is shared by Magento customers ${ids.join(', ')}; duplicates are rejected until resolved` };
    if (settings.duplicates === 'report' && ids[0] !== magentoId) {
      return { via: 'none', hold: `duplicate of Magento customer ${ids[0]} (same email ${customer.email}); reported, not synced` };
    }
  } else {
    await clearDuplicateReport(ctx.files, 'commerce', customer.email);
  }
  if (linkAlive) return { heartlandId: linkedId, via: 'link' };

  const byReference = await hl.customers.findByCustom(idField, magentoId);
  if (byReference) return { heartlandId: byReference.id, via: 'reference' };

  let candidates = await heartlandCustomersByEmail(hl, customer.email);
  let via: HeartlandMatch['via'] = 'email';
  if (candidates.length <= 1) await clearDuplicateReport(ctx.files, 'heartland', customer.email);
  if (candidates.length === 0 && settings.secondaryMatch === 'phone-last-name') {
    candidates = await heartlandByPhoneAndLastName(hl, customer.lastName, customer.phone);
    via = 'phone-last-name';
  }
  if (candidates.length === 0) return { via: 'none' };
  if (candidates.length > 1) {
    const ids = oldestFirst(candidates.map((c) => String(c.id)));
    await reportDuplicates(ctx.files, { system: 'heartland', email: customer.email, ids, policy: settings.duplicates, now });
    if (settings.duplicates === 'reject') return { via, hold: `matches Heartland customers ${ids.join(', ')}; duplicates are rejected until resolved` };
  }
  const chosen = candidates[0];
  const owner = await ctx.links.get(CUSTOMER_ENTITY, 'heartland', String(chosen.id));
  if (owner && owner.id !== magentoId && settings.duplicates !== 'merge') {
    return { via, hold: `Heartland customer ${chosen.id} is already linked to Magento customer ${owner.id}; reported as a duplicate` };
  }
  return { heartlandId: chosen.id, via };
}

function customFieldsFor(customer: Customer, groups: FieldGroup[] | 'all', attributeMap: AttributeMap): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  if (groups === 'all' || groups.includes('attributes')) {
    for (const { heartlandField, magentoAttribute } of attributeMap) {
      const value = customer.attributes[magentoAttribute];
      if (value !== undefined && value !== null && value !== '') custom[heartlandField] = value;
    }
  }
  return custom;
}

function addressBodies(customer: Customer): AddressCreate[] {
  return customer.addresses.map((a) => addressToHeartland({ ...a, phone: a.phone ?? customer.phone }, { fallbackName: customer }));
}

/** Updates edited addresses in place and adds the missing ones (address-plan.ts); never deletes. */
async function syncAddresses(hl: HeartlandClient, heartlandId: number, current: HeartlandAddress[], wanted: AddressCreate[], wantedGroups: string[][], currentGroups: string[][]): Promise<number> {
  let writes = 0;
  for (const step of planAddresses(currentGroups, wantedGroups)) {
    if (step.action === 'create') await hl.customers.createAddress(heartlandId, wanted[step.wanted]);
    else if (step.action === 'update') await hl.customers.updateAddress(heartlandId, current[step.target].id, wanted[step.wanted]);
    else continue;
    writes++;
  }
  return writes;
}

export const customerToHeartland = defineFlow<MagentoCustomerRecord, HeartlandBoundCustomer>({
  name: CUSTOMER_TO_HEARTLAND,
  entity: CUSTOMER_ENTITY,
  direction: 'commerce-to-heartland',
  upstreams: ['commerce', 'heartland'],
  async load(unit, ctx) {
    const id = numericId(unit.key);
    if (id === undefined) return undefined;
    const [settings, document] = await Promise.all([loadConnectorSettings(ctx.state), loadMappingDocument(ctx.state)]);
    return readMagentoCustomer(ctx.client('commerce'), id, settings.customers.attributeMap, document);
  },
  version: (source) => source.customer.updated_at ?? undefined,
  filter: (source) => outboundFilterReason('commerce', source.customer, source.document),
  echo: (source) => groupsOrUndefined(() => magentoCanonical(source), source.attributeMap),
  async map(source, ctx) {
    const customer = magentoCanonical(source);
    const match = await matchInHeartland(customer, customerIdField(source.document), ctx);
    return { customer, groups: customerGroups(customer, source.attributeMap), match, attributeMap: source.attributeMap, document: source.document };
  },
  guard: (mapped) => (mapped.match.hold ? { skip: 'held', detail: mapped.match.hold } : undefined),
  async write(mapped, ctx) {
    const hl = ctx.client('heartland');
    const { customer, attributeMap, document } = mapped;
    const magentoId = customer.sourceId!;
    const idField = customerIdField(document);
    const settings = (await loadConnectorSettings(ctx.state)).customers;
    let heartlandId = mapped.match.heartlandId;
    let action: WriteAction = 'unchanged';
    /** The target kept some group (it won a conflict, or only it changed the group): those values still have to travel back, so this write must not look like an echo. */
    let targetKept = false;

    if (heartlandId === undefined) {
      // Search-before-create happened in map (link, reference, email, phone + last name); a
      // concurrent duplicate is stopped by the unit lease and the reference field lookup.
      const again = await hl.customers.findByCustom(idField, magentoId);
      if (again) heartlandId = again.id;
    }

    if (heartlandId === undefined) {
      const body: CustomerCreate = {
        first_name: customer.firstName,
        last_name: customer.lastName,
        email: customer.email,
        custom: { [idField]: magentoId, ...customFieldsFor(customer, 'all', attributeMap) },
      };
      // The order flow may create this customer at the same moment: a taken reference means it did.
      const made = await createCustomerUnlessTaken(hl, { field: idField, value: magentoId }, async () => (await hl.customers.create(body)).id);
      heartlandId = made.id;
      if (made.created) {
        for (const address of addressBodies(customer)) await hl.customers.createAddress(heartlandId, address);
        action = 'created';
      }
    }
    // An existing customer (found, or just created by the order flow) is updated group by group.
    if (action !== 'created' && heartlandId !== undefined) {
      const current = await readHeartlandCustomer(hl, heartlandId, attributeMap, document);
      if (!current) throw new Error(`Heartland customer ${heartlandId} disappeared while syncing Magento customer ${magentoId}`);
      const currentCanonical = heartlandCanonical(current);
      const currentGroups = customerGroups(currentCanonical, attributeMap);
      const { write, kept, decisions } = resolveGroups({
        rule: settings.conflictRule,
        source: { system: 'commerce', groups: mapped.groups, updatedAt: customer.updatedAt },
        target: { system: 'heartland', groups: currentGroups, updatedAt: currentCanonical.updatedAt },
        // No snapshot and our own reference on it: the order flow's copy of Magento's data (isConnectorCopy).
        lastSeenTarget: (await readSeen(ctx.state, 'heartland', String(heartlandId))) ?? (isConnectorCopy(current.customer.custom, idField, magentoId) ? currentGroups : undefined),
        lastSeenSource: await readSeen(ctx.state, 'commerce', magentoId),
      });
      targetKept = kept.length > 0;
      if (decisions.length) {
        await recordConflict(ctx.files, {
          at: new Date(ctx.clock.now()).toISOString(),
          rule: settings.conflictRule,
          source: { system: 'commerce', id: magentoId, updatedAt: customer.updatedAt },
          target: { system: 'heartland', id: String(heartlandId), updatedAt: currentCanonical.updatedAt },
          decisions,
        });
      }
      const patch: Record<string, unknown> = {};
      if (write.includes('names')) Object.assign(patch, { first_name: customer.firstName, last_name: customer.lastName });
      if (write.includes('email')) patch.email = customer.email;
      const custom = customFieldsFor(customer, write, attributeMap);
      if (!current.customer.custom?.[idField]) custom[idField] = magentoId;
      if (Object.keys(custom).length) patch.custom = custom;
      if (Object.keys(patch).length) {
        await hl.customers.update(heartlandId, patch);
        action = 'updated';
      }
      if (write.includes('addresses')) {
        const writes = await syncAddresses(hl, heartlandId, current.addresses, addressBodies(customer), addressTuples(customer), addressTuples(currentCanonical));
        if (writes) action = 'updated';
      }
    }

    // Read back what Heartland now shows: that is exactly what its change notification will carry.
    const after = await readHeartlandCustomer(hl, heartlandId, attributeMap, document);
    const echo = after ? customerGroups(heartlandCanonical(after), attributeMap) : undefined;
    const now = ctx.clock.now();
    if (echo) await writeSeen(ctx.state, 'heartland', String(heartlandId), echo, now);
    await writeSeen(ctx.state, 'commerce', magentoId, mapped.groups, now);
    return { targetId: String(heartlandId), action, echo: targetKept ? { keptByTarget: echo, at: now } : echo };
  },
});

