/**
 * Heartland customer → Magento customer: names, email, addresses and mapped custom fields (e.g.
 * loyalty points into a Magento custom attribute). Triggered by the Heartland customers feed
 * (`updated_at`) and the ASSUMED `customer.updated` notification; Heartland is re-read each time.
 * Heartland-only customers reach Magento only when settings.customers.createInMagento is on.
 */
import { loadConnectorSettings } from '../../config/connector-settings';
import { addressToMagentoCustomer } from '../../commerce/mappers/address';
import type { CustomerInput as MagentoCustomerInput, Customer as MagentoCustomer } from '../../commerce/payloads';
import type { Customer } from '../../model/customer';
import { defineFlow, type FlowContext, type WriteAction } from '../../sync';
import { isConnectorCopy, recordConflict, readSeen, resolveGroups, writeSeen } from './conflicts';
import { clearDuplicateReport, oldestFirst, reportDuplicates } from './duplicates';
import { addressTuples, customerGroups, type AttributeMap, type CustomerGroups } from './field-groups';
import { planAddresses } from './address-plan';
import { heartlandCustomersByEmail, magentoByPhoneAndLastName, magentoCustomersByEmail } from './matching';
import { customerIdField, groupsOrUndefined, heartlandCanonical, loadMappingDocument, magentoCanonical, numericId, outboundFilterReason, readHeartlandCustomer, type HeartlandCustomerRecord } from './records';
import type { MappingDocument } from '../../mapping';
import { CUSTOMER_ENTITY } from './to-heartland';

export const CUSTOMER_TO_COMMERCE = 'customer-to-commerce';

export interface MagentoMatch {
  magentoId?: number;
  via: 'link' | 'reference' | 'email' | 'phone-last-name' | 'none';
  hold?: string;
  /** Why nothing is written (Heartland-only customer while creating in Magento is off). */
  filtered?: string;
}

export interface MagentoBoundCustomer {
  customer: Customer;
  groups: CustomerGroups;
  match: MagentoMatch;
  attributeMap: AttributeMap;
  document: MappingDocument;
}

async function matchInMagento(customer: Customer, record: HeartlandCustomerRecord, ctx: FlowContext): Promise<MagentoMatch> {
  const settings = await loadConnectorSettings(ctx.state);
  const policy = settings.customers.duplicates;
  const commerce = ctx.client('commerce');
  const heartlandId = customer.sourceId!;
  const now = ctx.clock.now();

  const link = await ctx.links.get(CUSTOMER_ENTITY, 'heartland', heartlandId);
  const linkedId = numericId(link?.id);
  const linkAlive = linkedId !== undefined && (await commerce.customers.find(linkedId)) !== undefined;
  if (linkAlive && policy !== 'reject') return { magentoId: linkedId, via: 'link' };

  // Duplicates on the Heartland side: several Heartland customers with this email.
  const heartlandTwins = await heartlandCustomersByEmail(ctx.client('heartland'), customer.email);
  if (heartlandTwins.length > 1) {
    const ids = oldestFirst(heartlandTwins.map((c) => String(c.id)));
    await reportDuplicates(ctx.files, { system: 'heartland', email: customer.email, ids, policy, now });
    if (policy === 'reject') return { via: 'none', hold: `email ${customer.email} is shared by Heartland customers ${ids.join(', ')}; duplicates are rejected until resolved` };
    if (policy === 'report' && ids[0] !== heartlandId) return { via: 'none', hold: `duplicate of Heartland customer ${ids[0]} (same email ${customer.email}); reported, not synced` };
  } else {
    await clearDuplicateReport(ctx.files, 'heartland', customer.email);
  }
  if (linkAlive) return { magentoId: linkedId, via: 'link' };

  const reference = numericId(record.customer.custom?.[customerIdField(record.document)]);
  if (reference !== undefined && (await commerce.customers.find(reference))) return { magentoId: reference, via: 'reference' };

  let candidates: MagentoCustomer[] = await magentoCustomersByEmail(commerce, customer.email);
  let via: MagentoMatch['via'] = 'email';
  if (candidates.length <= 1) await clearDuplicateReport(ctx.files, 'commerce', customer.email);
  if (candidates.length === 0 && settings.customers.secondaryMatch === 'phone-last-name') {
    candidates = await magentoByPhoneAndLastName(commerce, customer.lastName, customer.phone);
    via = 'phone-last-name';
  }
  if (candidates.length === 0) {
    return settings.customers.createInMagento
      ? { via: 'none' }
      : { via: 'none', filtered: 'Heartland-only customer: creating Magento customers is off (settings.customers.createInMagento)' };
  }
  if (candidates.length > 1) {
    const ids = oldestFirst(candidates.map((c) => String(c.id)));
    await reportDuplicates(ctx.files, { system: 'commerce', email: customer.email, ids, policy, now });
    if (policy === 'reject') return { via, hold: `matches Magento customers ${ids.join(', ')}; duplicates are rejected until resolved` };
  }
  const chosen = candidates[0];
  const owner = await ctx.links.get(CUSTOMER_ENTITY, 'commerce', String(chosen.id));
  if (owner && owner.id !== heartlandId && policy !== 'merge') {
    return { via, hold: `Magento customer ${chosen.id} is already linked to Heartland customer ${owner.id}; reported as a duplicate` };
  }
  return { magentoId: chosen.id, via };
}

/** Canonical attributes keyed by Magento attribute code, from a Heartland-keyed canonical customer. */
function magentoAttributes(customer: Customer, attributeMap: AttributeMap): Array<{ attribute_code: string; value: unknown }> {
  return attributeMap
    .filter((m) => customer.attributes[m.heartlandField] !== undefined && customer.attributes[m.heartlandField] !== null)
    .map((m) => ({ attribute_code: m.magentoAttribute, value: String(customer.attributes[m.heartlandField]) }));
}

/** The PUT body: the current Magento record with only the winning groups replaced (Magento PUT replaces the record). */
function updateBody(current: MagentoCustomer, currentCanonical: Customer, customer: Customer, write: string[], attributeMap: AttributeMap): MagentoCustomerInput {
  const body: MagentoCustomerInput = {
    id: current.id,
    email: write.includes('email') ? customer.email : current.email,
    firstname: write.includes('names') ? customer.firstName : current.firstname,
    lastname: write.includes('names') ? customer.lastName : current.lastname,
    ...(current.website_id != null ? { website_id: current.website_id } : {}),
    ...(current.group_id != null ? { group_id: current.group_id } : {}),
    ...(current.store_id != null ? { store_id: current.store_id } : {}),
  };
  const existing = current.addresses ?? [];
  if (write.includes('addresses')) {
    const result: unknown[] = [...existing];
    for (const step of planAddresses(addressTuples(currentCanonical), addressTuples(customer))) {
      if (step.action === 'keep') continue;
      const a = customer.addresses[step.wanted];
      const out = addressToMagentoCustomer({ ...a, phone: a.phone ?? customer.phone }, {});
      if (step.action === 'update') {
        // Same Magento address edited: keep its id and its default flags.
        const before = existing[step.target];
        result[step.target] = { ...out, ...(before?.id != null ? { id: before.id } : {}), default_billing: before?.default_billing ?? false, default_shipping: before?.default_shipping ?? false };
      } else {
        const first = result.length === 0;
        result.push({ ...out, default_billing: first, default_shipping: first });
      }
    }
    body.addresses = result as MagentoCustomerInput['addresses'];
  } else if (existing.length) {
    body.addresses = existing as MagentoCustomerInput['addresses'];
  }
  const attrs = new Map<string, unknown>((current.custom_attributes ?? []).map((a) => [a.attribute_code, a.value]));
  if (write.includes('attributes')) for (const a of magentoAttributes(customer, attributeMap)) attrs.set(a.attribute_code, a.value);
  if (attrs.size) body.custom_attributes = [...attrs].map(([attribute_code, value]) => ({ attribute_code, value }));
  return body;
}

/** Whether saving `body` would change what Magento holds in the fields the connector manages. */
function changesMagento(current: MagentoCustomer, body: MagentoCustomerInput): boolean {
  const addressView = (list: unknown[] | null | undefined) =>
    (list ?? []).map((a) => {
      const x = a as Record<string, unknown>;
      const region = (x.region ?? {}) as Record<string, unknown>;
      return [x.firstname, x.lastname, x.company ?? null, x.street, x.city, region.region_code ?? null, x.postcode ?? null, x.country_id, x.telephone ?? null].map((v) => JSON.stringify(v ?? null));
    });
  const attrs = (list: Array<{ attribute_code: string; value: unknown }> | null | undefined) =>
    Object.fromEntries((list ?? []).map((a) => [a.attribute_code, String(a.value ?? '')]));
  return (
    current.email !== body.email ||
    current.firstname !== body.firstname ||
    current.lastname !== body.lastname ||
    JSON.stringify(addressView(current.addresses)) !== JSON.stringify(addressView(body.addresses)) ||
    JSON.stringify(attrs(current.custom_attributes)) !== JSON.stringify(attrs(body.custom_attributes))
  );
}

export const customerToCommerce = defineFlow<HeartlandCustomerRecord, MagentoBoundCustomer>({
  name: CUSTOMER_TO_COMMERCE,
  entity: CUSTOMER_ENTITY,
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  async load(unit, ctx) {
    const id = numericId(unit.key);
    if (id === undefined) return undefined;
    const [settings, document] = await Promise.all([loadConnectorSettings(ctx.state), loadMappingDocument(ctx.state)]);
    return readHeartlandCustomer(ctx.client('heartland'), id, settings.customers.attributeMap, document);
  },
  version: (source) => source.customer.updated_at ?? undefined,
  filter: (source) => outboundFilterReason('heartland', { customer: source.customer, addresses: source.addresses }, source.document),
  echo: (source) => groupsOrUndefined(() => heartlandCanonical(source), source.attributeMap),
  async map(source, ctx) {
    const customer = heartlandCanonical(source);
    return { customer, groups: customerGroups(customer, source.attributeMap), match: await matchInMagento(customer, source, ctx), attributeMap: source.attributeMap, document: source.document };
  },
  guard: (mapped) =>
    mapped.match.filtered ? { skip: 'filtered', detail: mapped.match.filtered } : mapped.match.hold ? { skip: 'held', detail: mapped.match.hold } : undefined,
  async write(mapped, ctx, source) {
    const commerce = ctx.client('commerce');
    const { customer, attributeMap, document } = mapped;
    const heartlandId = customer.sourceId!;
    const settings = (await loadConnectorSettings(ctx.state)).customers;
    let magentoId = mapped.match.magentoId;
    let action: WriteAction = 'unchanged';
    /** The target kept some group (it won a conflict, or only it changed the group): those values still have to travel back, so this write must not look like an echo. */
    let targetKept = false;
    let after: MagentoCustomer | undefined;

    if (magentoId === undefined) {
      // Search-before-create: the email may have been taken since map ran (another activation).
      const again = await magentoCustomersByEmail(commerce, customer.email);
      if (again.length) magentoId = again[0].id;
    }
    if (magentoId === undefined) {
      const body: MagentoCustomerInput = {
        email: customer.email,
        firstname: customer.firstName,
        lastname: customer.lastName,
        addresses: customer.addresses.map((a) => ({ ...addressToMagentoCustomer({ ...a, phone: a.phone ?? customer.phone }, {}), default_billing: a.isDefaultBilling, default_shipping: a.isDefaultShipping })) as MagentoCustomerInput['addresses'],
      };
      const attrs = magentoAttributes(customer, attributeMap);
      if (attrs.length) body.custom_attributes = attrs;
      after = await commerce.customers.create(body);
      magentoId = after.id;
      action = 'created';
    } else {
      const current = await commerce.customers.get(magentoId);
      const currentCanonical = magentoCanonical({ customer: current, document });
      const currentGroups = customerGroups(currentCanonical, attributeMap);
      const { write, kept, decisions } = resolveGroups({
        rule: settings.conflictRule,
        source: { system: 'heartland', groups: mapped.groups, updatedAt: customer.updatedAt },
        target: { system: 'commerce', groups: currentGroups, updatedAt: currentCanonical.updatedAt },
        lastSeenTarget: await readSeen(ctx.state, 'commerce', String(magentoId)),
        // No snapshot and our reference to this Magento customer: the order flow's copy of Magento's
        // data, not an edit made in Heartland (isConnectorCopy), so Magento's own values stay.
        lastSeenSource:
          (await readSeen(ctx.state, 'heartland', heartlandId)) ??
          (source && isConnectorCopy(source.customer.custom, customerIdField(document), String(magentoId)) ? mapped.groups : undefined),
      });
      targetKept = kept.length > 0;
      if (decisions.length) {
        await recordConflict(ctx.files, {
          at: new Date(ctx.clock.now()).toISOString(),
          rule: settings.conflictRule,
          source: { system: 'heartland', id: heartlandId, updatedAt: customer.updatedAt },
          target: { system: 'commerce', id: String(magentoId), updatedAt: currentCanonical.updatedAt },
          decisions,
        });
      }
      const body = write.length ? updateBody(current, currentCanonical, customer, write, attributeMap) : undefined;
      // A group can differ and still leave Magento as it is (Heartland lost an address: we never
      // delete one). Saving an identical record would only send a save event round the loop.
      if (body && changesMagento(current, body)) {
        after = await commerce.customers.update(magentoId, body);
        action = 'updated';
      } else {
        after = current;
      }
    }

    // What Magento now shows (the PUT/POST answer is the saved record): its save event will carry this.
    const echo = customerGroups(magentoCanonical({ customer: after, document }), attributeMap);
    const now = ctx.clock.now();
    await writeSeen(ctx.state, 'commerce', String(magentoId), echo, now);
    await writeSeen(ctx.state, 'heartland', heartlandId, mapped.groups, now);
    return { targetId: String(magentoId), action, echo: targetKept ? { keptByTarget: echo, at: now } : echo };
  },
});
