/**
 * Duplicate customers: several records on one side share an email (case and spaces ignored). The
 * connector never picks one silently and overwrites the others; it writes a report per email
 * (`customers/duplicates/<hash>.json`) and applies settings.customers.duplicates:
 * - report: the oldest record (lowest id) is the one kept in step; the others are held;
 * - merge: every duplicate is linked to the same record on the other side;
 * - reject: none of them syncs until a person resolves the duplicate.
 */
import { createHash } from 'node:crypto';
import type { FileStore } from '../../platform/ports';
import type { SyncDeps, Upstream } from '../../sync';
import { normalEmail } from './field-groups';
import { heartlandCustomersByEmail, magentoCustomersByEmail } from './matching';

export type DuplicatePolicy = 'report' | 'merge' | 'reject';

export interface DuplicateReport {
  email: string;
  /** The system whose records share the email. */
  system: Upstream;
  ids: string[];
  /** The record kept in step (report, merge), none for reject. */
  kept: string | null;
  policy: DuplicatePolicy;
  detectedAt: string;
}

export function duplicateReportPath(system: Upstream, email: string): string {
  const hash = createHash('sha256').update(normalEmail(email)).digest('hex').slice(0, 24);
  return `customers/duplicates/${system}-${hash}.json`;
}

/** Lowest numeric id first: the record created first is the one customers have been using longest. */
export function oldestFirst(ids: string[]): string[] {
  return [...new Set(ids)].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
}

/**
 * Writes (or refreshes) the report for one email. The report is a view recomputed from both
 * systems each time, so rewriting it is idempotent rather than a read-modify-write of shared state.
 */
export async function reportDuplicates(files: FileStore, input: { system: Upstream; email: string; ids: string[]; policy: DuplicatePolicy; now: number }): Promise<DuplicateReport> {
  const ids = oldestFirst(input.ids);
  const report: DuplicateReport = {
    email: normalEmail(input.email),
    system: input.system,
    ids,
    kept: input.policy === 'reject' ? null : ids[0],
    policy: input.policy,
    detectedAt: new Date(input.now).toISOString(),
  };
  await files.write(duplicateReportPath(input.system, input.email), JSON.stringify(report, null, 2));
  return report;
}

/** The email no longer has duplicates on that side (merged or deleted by a person): the report closes. */
export async function clearDuplicateReport(files: FileStore, system: Upstream, email: string): Promise<void> {
  await files.delete(duplicateReportPath(system, email));
}

/** Reports re-checked against the systems per listing (each costs one or two requests). */
const VERIFY_LIMIT = 50;

/**
 * Every open duplicate report (for the admin-api and the panel). With upstream clients in `deps`
 * each report is first re-checked: an email that no longer has duplicates (a person merged or
 * deleted one) closes its report, so the list shows only what still needs a decision.
 */
export async function listCustomerDuplicates(deps: Pick<SyncDeps, 'platform' | 'clients'>, options: { verify?: boolean } = {}): Promise<DuplicateReport[]> {
  const files = deps.platform.files;
  const out: DuplicateReport[] = [];
  for (const path of (await files.list('customers/duplicates/')).sort()) {
    const data = await files.read(path);
    if (!data) continue;
    try {
      out.push(JSON.parse(data.toString('utf8')) as DuplicateReport);
    } catch {
      // A torn write from a killed activation: the next sync of that email rewrites it.
    }
  }
  const verify = options.verify ?? true;
  const open: DuplicateReport[] = [];
  for (const [i, report] of out.entries()) {
    if (!verify || i >= VERIFY_LIMIT) {
      open.push(report);
      continue;
    }
    const ids = await currentIds(deps, report).catch((error: unknown) => {
      deps.platform.logger.warn('could not re-check a customer duplicate report', { email: report.email, system: report.system, error: String(error) });
      return undefined;
    });
    if (ids === undefined) open.push(report);
    else if (ids.length <= 1) await files.delete(duplicateReportPath(report.system, report.email));
    else open.push({ ...report, ids, kept: report.policy === 'reject' ? null : ids[0] });
  }
  return open.sort((a, b) => a.email.localeCompare(b.email) || a.system.localeCompare(b.system));
}

async function currentIds(deps: Pick<SyncDeps, 'platform' | 'clients'>, report: DuplicateReport): Promise<string[] | undefined> {
  const scope = { correlationId: `customer-duplicates-${deps.platform.clock.now()}`, logger: deps.platform.logger };
  if (report.system === 'commerce') {
    const commerce = deps.clients?.commerce?.(scope);
    return commerce ? oldestFirst((await magentoCustomersByEmail(commerce, report.email)).map((c) => String(c.id))) : undefined;
  }
  const hl = deps.clients?.heartland?.(scope);
  return hl ? oldestFirst((await heartlandCustomersByEmail(hl, report.email)).map((c) => String(c.id))) : undefined;
}
