/**
 * `npm run bench [-- <name>...]`: runs bench/<name>.ts (all benchmarks when no name is given),
 * each in its own Node process so one benchmark's memory and timers cannot colour another's, and
 * prints one JSON object per benchmark as the last lines of output, with the Node version and the
 * machine's core count. A benchmark prints its figures as a single JSON line starting with
 * `BENCH_RESULT ` on stdout; everything else it prints passes through.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((n) => !available.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ') || 'none'}`);
  process.exit(2);
}
const names = requested.length ? requested : available;

function runOne(name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result: Record<string, unknown> | undefined;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice('BENCH_RESULT '.length));
        else process.stdout.write(`[${name}] ${line}\n`);
      }
    });
    child.on('close', (code) => {
      const base = { benchmark: name, node: process.version, cores: availableParallelism(), wallS: Math.round((Date.now() - started) / 100) / 10 };
      resolve(result ? { ...base, ...result } : { ...base, error: `exited with code ${code} without a result` });
    });
  });
}

const results: Record<string, unknown>[] = [];
for (const name of names) results.push(await runOne(name));
for (const r of results) console.log(JSON.stringify(r));
process.exitCode = results.some((r) => 'error' in r) ? 1 : 0;
