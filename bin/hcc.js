#!/usr/bin/env node
// Launcher for the TypeScript CLI: registers tsx's loader, then runs lib/cli/hcc.ts.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../lib/cli/hcc.ts');
try {
  process.exit(await runCli(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`hcc: ${error?.message ?? String(error)}\n`);
  process.exit(1);
}
