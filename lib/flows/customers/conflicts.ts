/**
 * Both sides edited the same customer between two sync cycles. Per field group the merchant's
 * rule decides (settings.customers.conflictRule; default: the newer `updated_at` wins), and every
 * decision is recorded in the FileStore so the panel can show what was kept and what was not.
 */
import type { FileStore, StateStore } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';
import type { Upstream } from '../../sync';
import { FIELD_GROUPS, sameGroup, type CustomerGroups, type FieldGroup } from './field-groups';

export type ConflictRule = 'newest-wins' | 'commerce-wins' | 'heartland-wins';

export interface GroupDecision {
  group: FieldGroup;
  winner: Upstream;
  incoming: unknown;
  kept: unknown;
}

export interface ConflictRecord {
  at: string;
  rule: ConflictRule;
  source: { system: Upstream; id: string; updatedAt: string | null };
  target: { system: Upstream; id: string; updatedAt: string | null };
  decisions: GroupDecision[];
}

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * What the connector last saw in a system after writing it: `customer-seen.<system>.<id>`. Only the
 * unit holding the customer's lease writes it, and only right after its own write, so it is a
 * per-record snapshot rather than a shared aggregate (DESIGN.md §1.3).
 */
export function seenKey(system: Upstream, id: string): string {
  return stateKey('customer-seen', system, id);
}

export async function readSeen(state: StateStore, system: Upstream, id: string): Promise<CustomerGroups | undefined> {
  return (await state.get<{ groups: CustomerGroups }>(seenKey(system, id)))?.groups;
}

export async function writeSeen(state: StateStore, system: Upstream, id: string, groups: CustomerGroups, at: number): Promise<void> {
  await state.put(seenKey(system, id), { groups, at }, { ttlSeconds: YEAR_SECONDS });
}

/**
 * Whether a Heartland customer that has no `customer-seen` snapshot is the connector's own copy of
 * this Magento customer. The order flow creates the Heartland customer of a registered shopper
 * from the order (name and addresses as of checkout), with our Magento reference, and writes no
 * snapshot (reading the record back would cost every order two calls). Its timestamps are those of
 * that creation, so "newest wins" would let an order's older snapshot beat an edit made in Magento
 * just before it was sent (seen in the soak). Carrying our reference for this very Magento customer
 * means nobody in Heartland chose these values: the pair counts as in step at what Heartland holds.
 */
export function isConnectorCopy(heartlandCustom: Record<string, unknown> | null | undefined, idField: string, magentoId: string): boolean {
  const reference = heartlandCustom?.[idField];
  return reference !== undefined && reference !== null && String(reference) === magentoId;
}

function newer(a: string | null, b: string | null): 'a' | 'b' {
  const ta = a ? Date.parse(a) : NaN;
  const tb = b ? Date.parse(b) : NaN;
  if (Number.isNaN(tb)) return 'a';
  if (Number.isNaN(ta)) return 'b';
  // A tie goes to the incoming change: it is the one being delivered now.
  return ta >= tb ? 'a' : 'b';
}

/**
 * Which groups the incoming record may write. Per group that differs between the two sides:
 * - only the source changed it since the pair was last in step → the source's value is written;
 * - only the target changed it → the target keeps it (the reverse flow carries it back), no conflict;
 * - both changed it (or we have never seen the pair in step) → a conflict, decided by the rule.
 */
export function resolveGroups(input: {
  rule: ConflictRule;
  source: { system: Upstream; groups: CustomerGroups; updatedAt: string | null };
  target: { system: Upstream; groups: CustomerGroups; updatedAt: string | null };
  /** What the target held after our last write there; undefined before the first write. */
  lastSeenTarget: CustomerGroups | undefined;
  /** What the source held when the pair was last in step; undefined before the first write. */
  lastSeenSource?: CustomerGroups | undefined;
}): { write: FieldGroup[]; kept: FieldGroup[]; decisions: GroupDecision[] } {
  const { rule, source, target, lastSeenTarget, lastSeenSource } = input;
  const write: FieldGroup[] = [];
  /** Groups where the target's own value stays and still has to travel to the source side. */
  const kept: FieldGroup[] = [];
  const decisions: GroupDecision[] = [];
  for (const group of FIELD_GROUPS) {
    if (sameGroup(source.groups, target.groups, group)) continue;
    const targetEdited = !lastSeenTarget || !sameGroup(target.groups, lastSeenTarget, group);
    const sourceEdited = !lastSeenSource || !sameGroup(source.groups, lastSeenSource, group);
    if (!targetEdited) {
      write.push(group);
      continue;
    }
    if (!sourceEdited) {
      kept.push(group);
      continue;
    }
    const winner: Upstream =
      rule === 'commerce-wins' ? 'commerce' : rule === 'heartland-wins' ? 'heartland' : newer(source.updatedAt, target.updatedAt) === 'a' ? source.system : target.system;
    if (winner === source.system) write.push(group);
    else kept.push(group);
    decisions.push({ group, winner, incoming: source.groups[group], kept: winner === source.system ? source.groups[group] : target.groups[group] });
  }
  return { write, kept, decisions };
}

export async function recordConflict(files: FileStore, record: ConflictRecord): Promise<string> {
  const path = `customers/conflicts/${record.at.slice(0, 10)}/${record.at.replace(/[:.]/g, '-')}-${record.source.system}-${encodeURIComponent(record.source.id)}.json`;
  await files.write(path, JSON.stringify(record, null, 2));
  return path;
}

export async function listCustomerConflicts(files: FileStore, limit = 200): Promise<ConflictRecord[]> {
  const paths = (await files.list('customers/conflicts/')).sort().reverse().slice(0, limit);
  const out: ConflictRecord[] = [];
  for (const path of paths) {
    const data = await files.read(path);
    if (data) out.push(JSON.parse(data.toString('utf8')) as ConflictRecord);
  }
  return out;
}
