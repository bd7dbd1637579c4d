/**
 * The quick fault-injection soak (`npm run soak -- --quick`, issue 6) as part of `npm test`: the
 * whole system under 20% upstream faults, duplicated and reordered events and two host SIGKILLs,
 * checked on both sides. It asserts every check the registered flows make possible, and that the
 * checks it could not make are named as such rather than passed.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AREAS } from '../lib/connector/areas';
import { coverageOf, registeredFlows } from '../sandbox/soak/coverage';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runQuickSoak(): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/soak.ts', '--quick'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run soak -- --quick', () => {
  it('loses nothing, duplicates nothing and leaves both sides consistent', { timeout: 420_000 }, async () => {
    const run = await runQuickSoak();
    const lines = run.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!);
    const diagnostics = `exit ${run.code}\nproblems: ${JSON.stringify(summary.problems, null, 1)}\n--- stderr (tail) ---\n${run.stderr.split('\n').slice(-40).join('\n')}`;
    expect(summary.error, diagnostics).toBeUndefined();

    // The headline figures, in issue 6's shape, come first.
    expect(Object.keys(summary).slice(0, 8)).toEqual(['orders', 'lost', 'duplicates', 'stockMismatches', 'shipmentMismatches', 'deadLettered', 'deadLetteredExpected', 'durationS']);

    // What could be checked follows from the registered flows; what could not is said, not passed.
    const coverage = coverageOf(registeredFlows(AREAS));
    expect(summary.checked).toEqual(coverage.checks);
    expect(summary.notChecked).toEqual(coverage.notChecked);

    // The adversity really happened.
    expect(summary.host.kills).toBe(2);
    expect(summary.host.restarts).toBe(2);
    expect(summary.faults.heartlandInjected + summary.faults.commerceApplied).toBeGreaterThan(0);
    expect(summary.workload.stockChanges).toBeGreaterThanOrEqual(30);

    if (summary.checked.includes('orders')) {
      expect(summary.orders).toBeGreaterThan(0);
      expect(summary.lost, diagnostics).toBe(0);
      expect(summary.duplicates, diagnostics).toBe(0);
      // Every dead letter is a deliberately invalid input, and each was replayed to done after the fix.
      expect(summary.unexpectedDeadLetters, diagnostics).toBe(0);
      expect(summary.deadLettered, diagnostics).toBe(summary.deadLetteredExpected);
      expect(summary.deadLetteredExpected).toBeGreaterThan(0);
      expect(summary.replayed.failed, diagnostics).toBe(0);
    }
    if (summary.checked.includes('stock')) {
      expect(summary.stockChecked).toBeGreaterThan(0);
      expect(summary.stockMismatches, diagnostics).toBe(0);
    }
    if (summary.checked.includes('shipments')) {
      expect(summary.workload.invoices, diagnostics).toBeGreaterThan(0);
      expect(summary.shipmentMismatches, diagnostics).toBe(0);
    }
    if (summary.checked.includes('customers')) expect(summary.customerMismatches, diagnostics).toBe(0);
    expect(summary.settle.pendingRetries, diagnostics).toBe(0);
    expect(summary.ok, diagnostics).toBe(true);
    expect(run.code, diagnostics).toBe(0);
  });
});
