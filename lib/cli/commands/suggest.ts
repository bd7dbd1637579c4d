/**
 * `hcc suggest --from FILE --to heartland:<entity>|commerce:<entity> [--json] [--custom-fields FILE]`:
 * suggests field mappings for a sample payload (a JSON object, a JSON array or a CSV with a header
 * row). `--json` prints `[{source, target, confidence, reason}]` (CONTRACTS.md); otherwise a table.
 * Bad input exits 1 and names the problem; never a stack trace.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseSampleText, SourceError, suggestMappings, TargetError, type CustomFieldDefinition, type MappingSuggestion } from '../../insights/suggest';

export interface SuggestArgs {
  from: string;
  to: string;
  json?: boolean;
  /** A JSON file: `GET /custom_fields` results (`[{key, name, type}]`) or the whole `{results}` page. */
  customFields?: string;
}

export interface SuggestRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const fail = (message: string): SuggestRun => ({ exitCode: 1, stdout: '', stderr: `hcc suggest: ${message}\n` });

async function readFileText(path: string, what: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: `${what} ${path}: no such file` };
    if (code === 'EISDIR') return { ok: false, message: `${what} ${path} is a folder, not a file` };
    return { ok: false, message: `${what} ${path}: ${(error as Error).message}` };
  }
}

function parseCustomFields(text: string, path: string): { ok: true; fields: CustomFieldDefinition[] } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `custom fields file ${path} is not JSON: ${(error as Error).message}` };
  }
  const list = Array.isArray(value) ? value : (value as { results?: unknown })?.results;
  if (!Array.isArray(list)) return { ok: false, message: `custom fields file ${path} must hold an array of {key, name, type} or a {results: [...]} page` };
  const fields: CustomFieldDefinition[] = [];
  for (const [index, entry] of list.entries()) {
    const key = (entry as { key?: unknown })?.key;
    if (typeof key !== 'string' || key === '') return { ok: false, message: `custom fields file ${path}: entry ${index + 1} has no "key"` };
    const { name, type } = entry as { name?: unknown; type?: unknown };
    fields.push({ key, name: typeof name === 'string' ? name : null, type: typeof type === 'string' ? type : null });
  }
  return { ok: true, fields };
}

/** A plain-text table: columns padded to their widest cell; the reason runs to the end of the line. */
export function suggestionsTable(suggestions: MappingSuggestion[]): string {
  if (suggestions.length === 0) return 'No suggestions: no source field looks like a field of the target.\n';
  const rows = suggestions.map((s) => [s.source, s.target, s.confidence.toFixed(2), s.reason]);
  const header = ['SOURCE', 'TARGET', 'CONF', 'REASON'];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export async function runSuggest(args: SuggestArgs): Promise<SuggestRun> {
  const sample = await readFileText(args.from, 'sample file');
  if (!sample.ok) return fail(sample.message);
  let customFields: CustomFieldDefinition[] = [];
  if (args.customFields) {
    const text = await readFileText(args.customFields, 'custom fields file');
    if (!text.ok) return fail(text.message);
    const parsed = parseCustomFields(text.text, args.customFields);
    if (!parsed.ok) return fail(parsed.message);
    customFields = parsed.fields;
  }
  let suggestions: MappingSuggestion[];
  try {
    suggestions = suggestMappings({ source: parseSampleText(sample.text, args.from), target: args.to, customFields });
  } catch (error) {
    if (error instanceof SourceError || error instanceof TargetError) return fail(error.message);
    throw error;
  }
  return { exitCode: 0, stdout: args.json ? `${JSON.stringify(suggestions, null, 2)}\n` : suggestionsTable(suggestions), stderr: '' };
}

export function registerSuggestCommand(program: Command): void {
  program
    .command('suggest')
    .description('suggest field mappings from a sample payload (JSON object, JSON array or CSV with a header)')
    .requiredOption('--from <file>', 'sample payload: JSON object, JSON array, or CSV with a header row')
    .requiredOption('--to <target>', 'heartland:<entity> or commerce:<entity> (customer, address, item/product, order, inventory, …)')
    .option('--json', 'print [{source, target, confidence, reason}]')
    .option('--custom-fields <file>', 'Heartland custom field definitions (GET /custom_fields results) to offer as custom.<key>')
    .action(async (options: SuggestArgs) => {
      const run = await runSuggest(options);
      if (run.stdout) process.stdout.write(run.stdout);
      if (run.stderr) process.stderr.write(run.stderr);
      process.exitCode = run.exitCode;
    });
}
