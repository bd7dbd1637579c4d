import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSuggest } from '../../lib/cli/commands/suggest';

const fixture = (name: string) => new URL(`../fixtures/suggest/${name}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'hcc-suggest-'));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe('hcc suggest', () => {
  it('--json prints [{source, target, confidence, reason}] with dotted paths', async () => {
    const run = await runSuggest({ from: fixture('magento-customers.json'), to: 'heartland:customer', json: true });
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(out.length).toBeGreaterThan(5);
    for (const row of out) expect(Object.keys(row).sort()).toEqual(['confidence', 'reason', 'source', 'target']);
    expect(out).toContainEqual(expect.objectContaining({ source: 'addresses[].postcode', target: 'addresses[].postal_code' }));
  });

  it('prints a readable table for a CSV sample', async () => {
    const run = await runSuggest({ from: fixture('merchant-items.csv'), to: 'heartland:item' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^SOURCE\s+TARGET\s+CONF\s+REASON$/);
    expect(run.stdout).toMatch(/Item #\s+public_id\s+0\.\d\d\s+name ‘Item #’/);
  });

  it('offers custom fields from a /custom_fields page', async () => {
    const customFields = file('cf.json', JSON.stringify({ results: [{ id: 1, key: 'loyalty_tier', group_id: 'customer', name: 'Loyalty tier', type: 'text' }], total: 1, pages: 1 }));
    const run = await runSuggest({ from: fixture('merchant-customers.csv'), to: 'heartland:customer', json: true, customFields });
    expect(JSON.parse(run.stdout)).toContainEqual(expect.objectContaining({ source: 'Loyalty Tier', target: 'custom.loyalty_tier' }));
  });

  it.each([
    [{ from: '/no/such/file.json', to: 'heartland:customer' }, 'sample file /no/such/file.json: no such file'],
    [{ from: scratch, to: 'heartland:customer' }, 'is a folder, not a file'],
    [{ from: fixture('merchant-items.csv'), to: 'shopify:item' }, 'target "shopify:item" is not heartland:<entity> or commerce:<entity>'],
    [{ from: fixture('merchant-items.csv'), to: 'commerce:warehouse' }, 'unknown commerce entity "warehouse"'],
    [{ from: file('empty.json', '  '), to: 'heartland:item' }, 'is empty'],
    [{ from: file('broken.json', '{"sku": '), to: 'heartland:item' }, 'is not valid JSON'],
    [{ from: file('scalar.json', '42'), to: 'heartland:item' }, 'neither JSON nor a CSV'],
    [{ from: fixture('merchant-items.csv'), to: 'heartland:item', customFields: file('cf-bad.json', '[{"name":"x"}]') }, 'entry 1 has no "key"'],
  ])('bad input exits 1 naming the problem (%#)', async (args, message) => {
    const run = await runSuggest(args);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(/^hcc suggest: /);
  });
});
