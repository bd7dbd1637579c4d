import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindsOf, parseSampleText, rankCandidates, SourceError, sourceFields, suggestMappings, TargetError, targetFields } from '../../lib/insights/suggest';

const dir = new URL('../fixtures/suggest/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');

interface LabelledCase {
  name: string;
  file: string;
  target: string;
  customFields?: Array<{ key: string; name?: string; type?: string }>;
  labels: Record<string, string>;
}
const cases = JSON.parse(read('cases.json')) as LabelledCase[];

describe('mapping suggestions on the labelled set', () => {
  it('has at least 60 labelled field pairs', () => {
    const total = cases.reduce((n, c) => n + Object.keys(c.labels).length, 0);
    expect(total).toBeGreaterThanOrEqual(60);
  });

  it('puts the right target first for at least 90% of the labelled fields', () => {
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    for (const c of cases) {
      const suggestions = suggestMappings({ source: parseSampleText(read(c.file), c.file), target: c.target, customFields: c.customFields });
      const bySource = new Map(suggestions.map((s) => [s.source, s]));
      for (const [source, target] of Object.entries(c.labels)) {
        total += 1;
        const got = bySource.get(source);
        if (got?.target === target) right += 1;
        else misses.push(`${c.name}: ${source} → expected ${target}, got ${got?.target ?? 'nothing'}`);
      }
    }
    const accuracy = right / total;
    console.log(`mapping suggestion accuracy: ${right}/${total} = ${(accuracy * 100).toFixed(1)}%${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  /**
   * Held-out exports (Shopify headers) written after the labelled set was tuned. First run: 14/23
   * (61%); after general fixes (head-noun reading of long headers, value maps for few-valued
   * columns, weight units) 21/23. The two left are judgement calls the names cannot settle
   * (Vendor → brand, Option1 Value → size needs the Option1 Name column), and stay as misses.
   */
  it('generalises to held-out exports (at least 80%)', () => {
    const heldOut = JSON.parse(read('held-out.json')) as LabelledCase[];
    let right = 0;
    let total = 0;
    for (const c of heldOut) {
      const bySource = new Map(suggestMappings({ source: parseSampleText(read(c.file), c.file), target: c.target, customFields: c.customFields }).map((s) => [s.source, s.target]));
      for (const [source, target] of Object.entries(c.labels)) {
        total += 1;
        if (bySource.get(source) === target) right += 1;
      }
    }
    console.log(`held-out suggestion accuracy: ${right}/${total} = ${((right / total) * 100).toFixed(1)}%`);
    expect(right / total).toBeGreaterThanOrEqual(0.8);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: every suggestion has a confidence in 0..1 and a reason sentence', (_name, c) => {
    const suggestions = suggestMappings({ source: parseSampleText(read(c.file), c.file), target: c.target, customFields: c.customFields });
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) {
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(s.reason).toMatch(/^(name |‘)/);
    }
    // Best first.
    expect(suggestions.map((s) => s.confidence)).toEqual([...suggestions.map((s) => s.confidence)].sort((a, b) => b - a));
  });
});

describe('evidence and reasons', () => {
  it('explains a synonym with the share of sample values that fit', () => {
    const postcodes = ['10577', '02127', '94103', '60611', '73301', '10001', '30301', '98101', '33101', '80202', '19103', '85001'];
    const [s] = suggestMappings({ source: postcodes.map((postcode) => ({ postcode })), target: 'heartland:address' });
    expect(s).toMatchObject({ source: 'postcode', target: 'postal_code' });
    expect(s.reason).toBe('name ‘postcode’ is a synonym of ‘postal_code’ (postal code); 12/12 sample values look like postal codes');
  });

  it('finds an email column by its values when the name says nothing', () => {
    const rows = [{ Contact: 'ann@example.com' }, { Contact: 'bob@example.org' }, { Contact: 'cy@example.net' }];
    const [s] = suggestMappings({ source: rows, target: 'heartland:customer' });
    expect(s.target).toBe('email');
    expect(s.reason).toContain('3/3 sample values look like email addresses');
    expect(s.confidence).toBeLessThan(0.7);
  });

  it('marks down a name match whose values do not fit', () => {
    const good = suggestMappings({ source: [{ zip: '10577' }, { zip: '02127' }], target: 'heartland:address' })[0];
    const bad = suggestMappings({ source: [{ zip: 'n/a please' }, { zip: 'unknown one' }], target: 'heartland:address' })[0];
    expect(bad.target).toBe('postal_code');
    expect(bad.confidence).toBeLessThan(good.confidence);
    expect(bad.reason).toContain('only 0/2 sample values look like postal codes');
  });

  it('will not put text into a number field at full confidence', () => {
    const [s] = suggestMappings({ source: [{ price: 'call us' }, { price: 'ask in store' }], target: 'heartland:item', minConfidence: 0 });
    expect(s.target).toBe('price');
    expect(s.confidence).toBeLessThan(0.3);
    expect(s.reason).toContain('takes a number but the samples are text');
  });

  it('accepts a bare field list (names only)', () => {
    const suggestions = suggestMappings({ source: ['Zip', 'E-mail', 'Telephone'], target: 'heartland:customer' });
    expect(Object.fromEntries(suggestions.map((s) => [s.source, s.target]))).toEqual({ Zip: 'addresses[].postal_code', 'E-mail': 'email', Telephone: 'addresses[].phone' });
  });

  it('offers Heartland custom fields as custom.<key> targets', () => {
    const [s] = suggestMappings({ source: [{ 'Loyalty Level': 'Gold' }], target: 'heartland:customer', customFields: [{ key: 'tier_x1', name: 'Loyalty level', type: 'text' }] });
    expect(s.target).toBe('custom.tier_x1');
  });

  it('lets billing and shipping addresses both land in the address list', () => {
    const suggestions = suggestMappings({ source: [{ 'Billing Zip': '10577', 'Shipping Zip': '02127' }], target: 'heartland:customer' });
    expect(suggestions.map((s) => s.target)).toEqual(['addresses[].postal_code', 'addresses[].postal_code']);
  });

  it('suggests only for what is not mapped yet', () => {
    const source = [{ email: 'a@example.com', mail2: 'b@example.com', zip: '10577' }];
    const all = suggestMappings({ source, target: 'heartland:customer' });
    expect(all.find((s) => s.source === 'email')?.target).toBe('email');
    const rest = suggestMappings({ source, target: 'heartland:customer', alreadyMapped: [{ source: 'email', target: 'email' }] });
    expect(rest.map((s) => s.source)).not.toContain('email');
    expect(rest.map((s) => s.target)).not.toContain('email');
    expect(rest.find((s) => s.source === 'zip')?.target).toBe('addresses[].postal_code');
  });

  it('ranks alternatives for the panel', () => {
    const [ranked] = rankCandidates({ source: [{ price: 10 }], target: 'heartland:item' });
    expect(ranked.candidates[0].target).toBe('price');
    expect(ranked.candidates.length).toBeGreaterThan(1);
  });
});

describe('targets and sources', () => {
  it('derives Heartland and Commerce field lists from the payload schemas', () => {
    const customer = targetFields('heartland:customer').map((f) => f.path);
    expect(customer).toEqual(expect.arrayContaining(['email', 'first_name', 'addresses[].postal_code', 'addresses[].line_1']));
    expect(customer).not.toContain('id');
    const product = targetFields('commerce:product').map((f) => f.path);
    expect(product).toEqual(expect.arrayContaining(['sku', 'name', 'price', 'custom_attributes.description']));
    expect(targetFields('commerce:customer').map((f) => f.path)).toEqual(expect.arrayContaining(['addresses[].street[0]', 'addresses[].region.region_code']));
  });

  it.each([['salesforce:customer'], ['heartland:spaceship'], ['customer']])('rejects target %s with a clear message', (target) => {
    expect(() => suggestMappings({ source: ['email'], target })).toThrow(TargetError);
  });

  it('takes a declared target field list, and checks it', () => {
    const [s] = suggestMappings({ source: [{ 'Post Code': 'SW1A 1AA' }], target: [{ path: 'zip', type: 'string' }, { path: 'town', type: 'string' }] });
    expect(s).toMatchObject({ source: 'Post Code', target: 'zip' });
    expect(() => suggestMappings({ source: ['a'], target: [] })).toThrow(TargetError);
    expect(() => suggestMappings({ source: ['a'], target: [{ path: 'x', type: 'date' as never }] })).toThrow('target field "x": type must be string, number, boolean or any');
  });

  it('flattens Magento custom_attributes and street lines', () => {
    const paths = sourceFields({ street: ['1 Main', 'Apt 2'], custom_attributes: [{ attribute_code: 'color', value: 'Red' }] }).map((f) => f.path);
    expect(paths).toEqual(['street[0]', 'street[1]', 'custom_attributes.color']);
  });

  it('reads JSON objects, arrays and CSV (comma or semicolon), and names what is wrong', () => {
    expect(parseSampleText('{"a":1}')).toEqual({ a: 1 });
    expect(parseSampleText('a;b\n1;2')).toEqual([{ a: '1', b: '2' }]);
    expect(parseSampleText('"Zip","City"\n"10577","Purchase, NY"')).toEqual([{ Zip: '10577', City: 'Purchase, NY' }]);
    expect(() => parseSampleText('', 'x.json')).toThrow('x.json is empty');
    expect(() => parseSampleText('{"a":', 'x.json')).toThrow(/x.json is not valid JSON/);
    expect(() => parseSampleText('[1,2]', 'x.json')).toThrow(/element 1 of the JSON array is not an object/);
    expect(() => parseSampleText('a,a\n1,2', 'x.csv')).toThrow(/column "a" appears twice/);
    expect(() => parseSampleText('justoneword', 'x.txt')).toThrow(/neither JSON nor a CSV/);
    expect(() => sourceFields([] as string[])).toThrow(SourceError);
  });

  it('profiles values', () => {
    expect([...kindsOf('jane@example.com')]).toContain('email');
    expect([...kindsOf('US')]).toContain('country');
    expect([...kindsOf('QQ')]).not.toContain('country');
    expect([...kindsOf('2017-08-21 22:22:19')]).toContain('date');
    expect([...kindsOf('+1 416 555 0199')]).toContain('phone');
    expect([...kindsOf('WS12-M-Orange')]).toContain('sku');
    expect([...kindsOf('012345678905')]).toContain('barcode');
    expect([...kindsOf('$12.50')]).toContain('money');
    expect([...kindsOf('M5K 1A2')]).toContain('postal_code');
  });
});
