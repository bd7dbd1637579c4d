/**
 * Sandbox configuration: `.env` when present, otherwise `.env.example`, whose values are the
 * working sandbox credentials. Variables already set in the shell win, as with dotenv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';

export interface SandboxEnv {
  /** Which file was read. */
  source: '.env' | '.env.example' | 'none';
  values: Record<string, string>;
}

export function readSandboxEnv(root: string): SandboxEnv {
  for (const name of ['.env', '.env.example'] as const) {
    const file = join(root, name);
    if (existsSync(file)) return { source: name, values: parse(readFileSync(file)) };
  }
  return { source: 'none', values: {} };
}

/** Copies file values into process.env without overriding what the shell already set. */
export function applySandboxEnv(env: SandboxEnv, target: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env.values)) if (target[name] === undefined) target[name] = value;
}

/** A port from the environment, or the default; 0 means "any free port". */
export function portFromEnv(name: string, fallback: number, source: NodeJS.ProcessEnv = process.env): number {
  const text = source[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number from 0 to 65535, got "${text}"`);
  return port;
}
