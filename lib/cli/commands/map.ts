/**
 * `hcc map <entity> --from commerce|heartland|canonical [--to canonical|heartland|commerce]
 *  [--in FILE|-] [--mapping FILE]`: dry-runs a mapping on a payload. Prints canonical JSON, or the
 * requests that would be sent in order (`[{method, path, body}]`) with unresolved ids as
 * placeholders. Bad input exits 1 with the field and the reason; never a stack trace.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { issuesToText } from '../../model/field-issues';
import { placeholdersIn } from '../../model/planned-request';
import { ENTITIES, type EntityName } from '../../mapping/document';
import { defaultMappingDocument } from '../../mapping/defaults/document';
import { createMappingRepository } from '../../mapping/repository';
import { mapEntity, type SourceName, type TargetName } from '../../mapping/pipeline';
import type { StateStore } from '../../platform/ports';

export interface MapArgs {
  entity: string;
  from: string;
  to?: string;
  /** A file path, `-` for stdin, or omitted for stdin. */
  in?: string;
  /** A merchant mapping document (overrides layered on the defaults). */
  mapping?: string;
  /** Stdin text, for tests and for callers that already read it. */
  stdin?: string | (() => Promise<string>);
}

export interface MapRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const ENTITY_ALIASES: Record<string, EntityName> = { 'gift-card': 'giftcard', giftcards: 'giftcard', inventory: 'stock', orders: 'order', customers: 'customer', products: 'product' };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function readText(source: string | undefined, stdin: MapArgs['stdin'], what: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    if (source === undefined || source === '-') {
      const text = typeof stdin === 'string' ? stdin : stdin ? await stdin() : await readStdin();
      return { ok: true, text };
    }
    return { ok: true, text: await readFile(source, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? `${what} ${source}: no such file` : `${what} ${source ?? '(stdin)'}: ${(error as Error).message}` };
  }
}

function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: `${what} is empty` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `${what} is not JSON: ${(error as Error).message}` };
  }
}

/** An in-memory StateStore, so the CLI validates and layers a mapping file through the same repository as the panel. */
function scratchState(): StateStore {
  const data = new Map<string, string>();
  return {
    async get<T>(key: string) {
      const v = data.get(key);
      return v === undefined ? undefined : (JSON.parse(v) as T);
    },
    async put(key, value) {
      data.set(key, JSON.stringify(value));
    },
    async delete(key) {
      data.delete(key);
    },
    async *list() {
      yield* data.keys();
    },
  };
}

const fail = (message: string, exitCode = 1): MapRun => ({ exitCode, stdout: '', stderr: `hcc map: ${message}\n` });

export async function runMap(args: MapArgs): Promise<MapRun> {
  const entity = (ENTITY_ALIASES[args.entity] ?? args.entity) as EntityName;
  if (!(ENTITIES as readonly string[]).includes(entity)) return fail(`unknown entity "${args.entity}"; one of ${ENTITIES.join(', ')}`);
  if (!['commerce', 'heartland', 'canonical'].includes(args.from)) return fail(`--from must be commerce, heartland or canonical, not "${args.from}"`);
  const to = args.to ?? 'canonical';
  if (!['canonical', 'heartland', 'commerce'].includes(to)) return fail(`--to must be canonical, heartland or commerce, not "${to}"`);
  if (args.from === 'canonical' && to === 'canonical') return fail('--from canonical needs --to heartland or --to commerce');

  let document = defaultMappingDocument();
  if (args.mapping) {
    const text = await readText(args.mapping, undefined, 'mapping file');
    if (!text.ok) return fail(text.message);
    const json = parseJson(text.text, `mapping file ${args.mapping}`);
    if (!json.ok) return fail(json.message);
    const checked = createMappingRepository(scratchState()).validate(json.value);
    if (!checked.ok) return fail(`mapping file ${args.mapping} is invalid:\n${issuesToText(checked.issues)}`);
    document = checked.effective;
  }

  const text = await readText(args.in, args.stdin, 'input');
  if (!text.ok) return fail(text.message);
  const json = parseJson(text.text, args.in && args.in !== '-' ? `input ${args.in}` : 'input');
  if (!json.ok) return fail(json.message);

  const outcome = mapEntity({ entity, from: args.from as SourceName, to: to as TargetName, input: json.value, document });
  const warningLines = (list: string[]) => list.map((w) => `warning: ${w}\n`).join('');
  switch (outcome.status) {
    case 'unsupported':
      return fail(outcome.message);
    case 'invalid':
      return fail(`invalid ${args.from} ${entity}:\n${issuesToText(outcome.issues)}`);
    case 'skipped':
      return {
        exitCode: 0,
        stdout: '[]\n',
        stderr: `${warningLines(outcome.warnings)}skipped by the ${outcome.direction} filter: ${outcome.reason}\n`,
      };
    case 'mapped': {
      let stderr = warningLines(outcome.warnings);
      if (outcome.filter && !outcome.filter.decision.run) stderr += `note: the ${outcome.filter.direction} filter would skip this ${entity}: ${outcome.filter.decision.reason}\n`;
      if (to !== 'canonical') {
        const open = placeholdersIn(outcome.output);
        if (open.length) stderr += `unresolved until sent: ${open.join(', ')}\n`;
      }
      return { exitCode: 0, stdout: `${JSON.stringify(outcome.output, null, 2)}\n`, stderr };
    }
  }
}

export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('dry-run a mapping: a source payload to canonical JSON or to the planned target requests')
    .argument('<entity>', `${ENTITIES.join(', ')} (gift-card and inventory also accepted)`)
    .requiredOption('--from <system>', 'commerce, heartland, or canonical (a canonical JSON document)')
    .option('--to <target>', 'canonical (default), heartland or commerce')
    .option('--in <file>', 'payload file, or - for stdin (default)')
    .option('--mapping <file>', 'a mapping document layered on the built-in defaults')
    .action(async (entity: string, options: { from: string; to?: string; in?: string; mapping?: string }) => {
      const run = await runMap({ entity, ...options });
      if (run.stdout) process.stdout.write(run.stdout);
      if (run.stderr) process.stderr.write(run.stderr);
      process.exitCode = run.exitCode;
    });
}
