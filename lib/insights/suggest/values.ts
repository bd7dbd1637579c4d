/**
 * Value profiling: what sample values look like (emails, phone numbers, ISO country codes, dates,
 * money, SKUs, barcodes, booleans…). A column named "Contact" full of addresses like
 * `jane@example.com` is an email column whatever its name says.
 */

export const VALUE_KINDS = [
  'email',
  'phone',
  'country',
  'postal_code',
  'date',
  'money',
  'number',
  'integer',
  'sku',
  'barcode',
  'boolean',
  'currency',
  'url',
  'html',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** How reasons name each kind: "12/12 sample values look like postal codes". */
export const VALUE_KIND_LABELS: Record<ValueKind, string> = {
  email: 'email addresses',
  phone: 'phone numbers',
  country: 'ISO country codes',
  postal_code: 'postal codes',
  date: 'dates',
  money: 'money amounts',
  number: 'numbers',
  integer: 'whole numbers',
  sku: 'SKUs',
  barcode: 'barcodes (UPC/EAN)',
  boolean: 'yes/no values',
  currency: 'currency codes',
  url: 'web addresses',
  html: 'HTML text',
};

const regionNames = new Intl.DisplayNames('en', { type: 'region' });
const currencyNames = new Intl.DisplayNames('en', { type: 'currency' });

/** ISO 3166-1 alpha-2 codes the runtime's ICU data knows (the unknown ones echo back). */
function isCountryCode(text: string): boolean {
  if (!/^[A-Z]{2}$/.test(text)) return false;
  try {
    const name = regionNames.of(text);
    return name !== undefined && name !== text && name !== 'Unknown Region';
  } catch {
    return false;
  }
}

function isCurrencyCode(text: string): boolean {
  if (!/^[A-Z]{3}$/.test(text)) return false;
  try {
    const name = currencyNames.of(text);
    return name !== undefined && name !== text;
  } catch {
    return false;
  }
}

const NUMERIC = /^-?\d+(\.\d+)?$/;
const MONEY_TEXT = /^-?[$€£]?\s?-?\d{1,3}(,?\d{3})*(\.\d{1,4})?$/;
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'y', 'n', 'enabled', 'disabled', 'active', 'inactive', 'on', 'off']);
// Postal codes of the countries merchants on these systems mostly ship to; other formats are not claimed.
const POSTAL_PATTERNS = [
  /^\d{5}(-\d{4})?$/, // US ZIP, DE, FR, ES, IT
  /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, // CA
  /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, // UK
  /^\d{4} ?[A-Z]{2}$/i, // NL
  /^\d{4}$/, // AU, NZ, DK, …
];
const DATE_PATTERNS = [
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  /^\d{1,2}\/\d{1,2}\/\d{2,4}$/,
  /^\d{1,2}\.\d{1,2}\.\d{4}$/,
];

/** Every kind one scalar value fits (a value can fit several: `10577` is a postal code and a number). */
export function kindsOf(value: unknown): Set<ValueKind> {
  const kinds = new Set<ValueKind>();
  if (typeof value === 'boolean') {
    kinds.add('boolean');
    return kinds;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return kinds;
    kinds.add('number');
    kinds.add('money');
    if (Number.isInteger(value)) kinds.add('integer');
    if (value === 0 || value === 1) kinds.add('boolean');
    return kinds;
  }
  if (typeof value !== 'string') return kinds;
  const text = value.trim();
  if (text === '') return kinds;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) kinds.add('email');
  if (/^https?:\/\//i.test(text)) kinds.add('url');
  if (/<[a-z][^>]*>/i.test(text)) kinds.add('html');
  if (BOOLEAN_WORDS.has(text.toLowerCase()) || text === '0' || text === '1') kinds.add('boolean');
  if (isCountryCode(text)) kinds.add('country');
  if (isCurrencyCode(text)) kinds.add('currency');
  if (DATE_PATTERNS.some((p) => p.test(text)) && !Number.isNaN(Date.parse(text.replace(' ', 'T')) || Date.parse(text))) kinds.add('date');
  if (NUMERIC.test(text)) {
    kinds.add('number');
    if (/^-?\d+$/.test(text)) kinds.add('integer');
  }
  if (MONEY_TEXT.test(text)) kinds.add('money');
  if (/^\d{8}$|^\d{12,14}$/.test(text)) kinds.add('barcode');
  if (POSTAL_PATTERNS.some((p) => p.test(text))) kinds.add('postal_code');
  const digits = text.replace(/\D/g, '').length;
  // A phone has 7–15 digits and phone punctuation; a bare run of digits is an id unless it has a +.
  if (/^\+?[\d\s().-]{7,22}$/.test(text) && digits >= 7 && digits <= 15 && (/[\s().+-]/.test(text) || digits === 10) && !kinds.has('date')) kinds.add('phone');
  // SKUs: one token of letters/digits with separators, and not an email, date or plain word.
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]{1,63}$/.test(text) && /\d|-|_/.test(text) && !kinds.has('date') && !kinds.has('email') && !kinds.has('phone') && !/\.\d/.test(text)) kinds.add('sku');
  return kinds;
}

export interface ValueProfile {
  /** Non-empty scalar samples looked at. */
  count: number;
  /** For each kind, how many of the samples fit it. */
  matches: Partial<Record<ValueKind, number>>;
  /** The JSON types seen: string, number, boolean. */
  types: Set<'string' | 'number' | 'boolean'>;
  /** Up to three samples, for reasons and previews. */
  examples: unknown[];
}

/** Profiles a column of sample values (empty strings and nulls are not evidence either way). */
export function profileValues(values: readonly unknown[]): ValueProfile {
  const profile: ValueProfile = { count: 0, matches: {}, types: new Set(), examples: [] };
  for (const value of values) {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    profile.count += 1;
    profile.types.add(typeof value as 'string' | 'number' | 'boolean');
    if (profile.examples.length < 3) profile.examples.push(value);
    for (const kind of kindsOf(value)) profile.matches[kind] = (profile.matches[kind] ?? 0) + 1;
  }
  return profile;
}

/** Share of samples of a kind, or null when there is nothing to judge by. */
export function kindShare(profile: ValueProfile, kind: ValueKind): number | null {
  if (profile.count === 0) return null;
  return (profile.matches[kind] ?? 0) / profile.count;
}

/** The kind most samples fit, preferring the more specific kinds (email over sku over number). */
export function dominantKind(profile: ValueProfile): ValueKind | undefined {
  if (profile.count === 0) return undefined;
  const specificFirst: ValueKind[] = ['email', 'url', 'html', 'date', 'phone', 'barcode', 'country', 'currency', 'postal_code', 'boolean', 'sku', 'money', 'integer', 'number'];
  return specificFirst.find((kind) => (profile.matches[kind] ?? 0) / profile.count >= 0.8);
}
