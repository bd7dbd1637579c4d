/**
 * Writes connection settings into a `.env` file the way `aio app deploy` and `npm start` read it
 * (dotenv syntax), keeping every other line and comment as it is. Reports which variable names
 * changed; values are never returned or printed.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'dotenv';

export interface EnvFileUpdate {
  file: string;
  created: boolean;
  /** Names whose value was added or changed. */
  changed: string[];
}

/**
 * dotenv quoting: dotenv does not unescape `\"` or `\'`, so pick a quote the value does not
 * contain (single quotes keep everything literal; double quotes expand `\n`).
 */
function quote(name: string, value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]*$/.test(value)) return value;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  if (!value.includes('"')) return `"${value.replace(/\n/g, '\\n')}"`;
  if (!value.includes('`')) return `\`${value}\``;
  throw new Error(`${name} contains both kinds of quotes and a backtick; dotenv cannot hold it, set it in the environment instead`);
}

export async function readEnvFile(file: string): Promise<Record<string, string>> {
  if (!existsSync(file)) return {};
  return parse(await readFile(file, 'utf8'));
}

export async function updateEnvFile(file: string, values: Record<string, string>): Promise<EnvFileUpdate> {
  const created = !existsSync(file);
  const original = created ? '' : await readFile(file, 'utf8');
  const current = parse(original);
  const changed = Object.keys(values).filter((name) => current[name] !== values[name]);
  if (changed.length === 0) return { file, created: false, changed };
  const lines = original === '' ? [] : original.replace(/\n$/, '').split('\n');
  const pending = new Set(changed);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(lines[i]!);
    if (m && pending.has(m[1]!)) {
      lines[i] = `${m[1]}=${quote(m[1]!, values[m[1]!]!)}`;
      pending.delete(m[1]!);
    }
  }
  if (pending.size) {
    lines.push('', `# written by hcc setup`);
    for (const name of pending) lines.push(`${name}=${quote(name, values[name]!)}`);
  }
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { file, created, changed };
}
