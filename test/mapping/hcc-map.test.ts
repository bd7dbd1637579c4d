import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMap } from '../../lib/cli/commands/map';
import { asEvent, buildMagentoOrder } from '../mappers/magento-order-builder';

const fixture = (system: string, name: string) => fileURLToPath(new URL(`../fixtures/${system}/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hcc-map-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('hcc map', () => {
  it('prints canonical JSON for a REST order and notes the filter', async () => {
    const run = await runMap({ entity: 'order', from: 'commerce', in: fixture('commerce', 'order-rest.json') });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ externalId: '000000003', totals: { grand: 165 } });
    expect(run.stderr).toBe('note: the toHeartland filter would skip this order: only paid orders go to Heartland: status is "new", expected one of ["processing","complete"]\n');
  });

  it('works on the event-shaped order and prints what the event lacked', async () => {
    const run = await runMap({ entity: 'order', from: 'commerce', in: fixture('commerce', 'order-event.json') });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ externalId: '000000042', status: 'processing', totals: { grand: 165 } });
    expect(run.stderr).toMatch(/^warning: items\[0\]: no price/m);
  });

  it('prints planned requests with placeholders, reading stdin', async () => {
    const input = JSON.stringify(asEvent(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'ABC', qty: 1, price: 5 }] })));
    const run = await runMap({ entity: 'order', from: 'commerce', to: 'heartland', in: '-', stdin: input });
    expect(run.exitCode).toBe(0);
    const requests = JSON.parse(run.stdout) as Array<{ method: string; path: string; body?: Record<string, unknown> }>;
    expect(requests.map((r) => r.method + ' ' + r.path.replace(/\{\{.*?\}\}/g, '…'))).toEqual([
      'POST /customers', 'POST /customers/…/addresses', 'POST /sales/orders', 'POST /sales/orders/…/lines', 'POST /sales/orders/…/payments', 'PUT /sales/orders/…',
    ]);
    expect(requests[3].body).toMatchObject({ item_id: '{{heartland.item_id sku=ABC}}' });
    expect(run.stderr).toContain('unresolved until sent: ');
  });

  it('reports a filter skip with an empty plan', async () => {
    const run = await runMap({ entity: 'order', from: 'commerce', to: 'heartland', in: fixture('commerce', 'order-rest.json') });
    expect(run).toEqual({ exitCode: 0, stdout: '[]\n', stderr: 'skipped by the toHeartland filter: only paid orders go to Heartland: status is "new", expected one of ["processing","complete"]\n' });
  });

  it('layers a --mapping file on the defaults', async () => {
    const mapping = file('mapping.json', { entities: { order: { toHeartland: { filter: { all: [] } } } } });
    const run = await runMap({ entity: 'order', from: 'commerce', to: 'heartland', in: fixture('commerce', 'order-rest.json'), mapping });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).length).toBeGreaterThan(3);
  });

  it.each([
    [{ entity: 'order', from: 'canonical', to: 'heartland', stdin: JSON.stringify({ lines: [{}, {}, { sku: 'A', qty: 'abc' }] }) }, 'lines[2].qty: expected a number, got "abc"'],
    [{ entity: 'order', from: 'commerce', stdin: '{"entity_id":1' }, 'hcc map: input is not JSON: '],
    [{ entity: 'order', from: 'commerce', stdin: '' }, 'hcc map: input is empty'],
    [{ entity: 'order', from: 'commerce', in: join(dir, 'missing.json') }, 'no such file'],
    [{ entity: 'invoice', from: 'commerce', stdin: '{}' }, 'hcc map: unknown entity "invoice"; one of order, customer, product, stock, shipment, refund, giftcard'],
    [{ entity: 'order', from: 'magento', stdin: '{}' }, '--from must be commerce, heartland or canonical, not "magento"'],
    [{ entity: 'order', from: 'heartland', stdin: '{}' }, 'order is read from commerce, not heartland'],
    [{ entity: 'gift-card', from: 'heartland', stdin: '{"id":1,"number":"GC1","balance":"lots"}' }, 'balance: expected a number, got "lots"'],
  ])('exits 1 with a message naming the problem %#', async (args, message) => {
    const run = await runMap(args);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an invalid mapping file with the path of the fault', async () => {
    const mapping = file('bad-mapping.json', { entities: { order: { toHeartland: { rules: [{ kind: 'copy', target: 'a' }] } } } });
    const run = await runMap({ entity: 'order', from: 'commerce', in: fixture('commerce', 'order-rest.json'), mapping });
    expect(run).toEqual({ exitCode: 1, stdout: '', stderr: `hcc map: mapping file ${mapping} is invalid:\nentities.order.toHeartland.rules[0].source: required\n` });
  });

  it('maps every entity from the api document examples', async () => {
    const cases = [
      ['customer', 'commerce', 'heartland', fixture('commerce', 'customer.json')],
      ['customer', 'heartland', 'commerce', fixture('heartland', 'customer.json')],
      ['product', 'heartland', 'commerce', fixture('heartland', 'item.json')],
      ['stock', 'heartland', 'canonical', fixture('heartland', 'inventory-values.json')],
      ['shipment', 'heartland', 'commerce', fixture('heartland', 'invoice.json')],
      ['refund', 'commerce', 'heartland', fixture('commerce', 'creditmemo.json')],
      ['refund', 'heartland', 'commerce', fixture('heartland', 'return-ticket.json')],
      ['giftcard', 'commerce', 'heartland', fixture('commerce', 'giftcard-account.json')],
      ['giftcard', 'heartland', 'commerce', fixture('heartland', 'gift-card.json')],
    ] as const;
    for (const [entity, from, to, input] of cases) {
      const run = await runMap({ entity, from, to, in: input });
      expect({ entity, from, exitCode: run.exitCode, stderr: run.exitCode ? run.stderr : '' }).toEqual({ entity, from, exitCode: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toBeTruthy();
    }
  });
});
