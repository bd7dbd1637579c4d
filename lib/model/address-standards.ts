/**
 * Address standardisation shared by both systems' mappers: street lines, phones and (optionally)
 * street-type abbreviations. Magento keeps `street[]` with any number of lines; Heartland has
 * `line_1`/`line_2` (heartland.md §3.2). Lines beyond the second are joined onto line 2, never dropped.
 */

/** Street lines → two lines; blank lines are skipped, a third and further lines join line 2. */
export function toTwoLines(lines: ReadonlyArray<string | null | undefined>): { line1: string; line2: string | null } {
  const clean = lines.map((l) => (l ?? '').trim()).filter((l) => l !== '');
  if (clean.length === 0) return { line1: '', line2: null };
  const rest = clean.slice(1);
  return { line1: clean[0], line2: rest.length ? rest.join(', ') : null };
}

/** Magento event payloads store `street` as one newline-joined string; REST sends an array. */
export function streetLines(street: string | ReadonlyArray<string> | null | undefined): string[] {
  if (street == null) return [];
  if (typeof street === 'string') return street.split(/\r?\n/);
  return [...street];
}

/**
 * A phone in a consistent shape: digits with an optional leading `+`, NANP numbers (US/CA, 10
 * digits) as `555-555-1111` (7-digit local numbers as `555-0100`). Extensions are kept (`x123`). Returns null for empty input. The raw
 * text is returned when it holds too few digits to be a phone, so nothing typed is lost.
 */
export function normalizePhone(input: string | null | undefined, country?: string | null): string | null {
  const text = input?.trim();
  if (!text) return null;
  const ext = /(?:ext\.?|x|#)\s*(\d{1,6})\s*$/i.exec(text);
  const main = ext ? text.slice(0, ext.index) : text;
  const plus = main.trim().startsWith('+');
  let digits = main.replace(/\D/g, '');
  if (digits.length < 7) return text;
  const nanp = !country || country === 'US' || country === 'CA' || country === 'PR';
  if (nanp && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  let out: string;
  if (nanp && digits.length === 10 && !(plus && !main.trim().startsWith('+1'))) {
    out = `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  } else if (nanp && !plus && digits.length === 7) {
    out = `${digits.slice(0, 3)}-${digits.slice(3)}`;
  } else {
    out = plus ? `+${digits}` : digits;
  }
  return ext ? `${out} x${ext[1]}` : out;
}

/** USPS-style street suffixes and directionals ("Street" → "St"); applied only when a merchant opts in. */
const ABBREVIATIONS: Array<[RegExp, string]> = [
  ['Street', 'St'], ['Avenue', 'Ave'], ['Boulevard', 'Blvd'], ['Road', 'Rd'], ['Drive', 'Dr'],
  ['Lane', 'Ln'], ['Court', 'Ct'], ['Place', 'Pl'], ['Terrace', 'Ter'], ['Parkway', 'Pkwy'],
  ['Highway', 'Hwy'], ['Circle', 'Cir'], ['Square', 'Sq'], ['Suite', 'Ste'], ['Apartment', 'Apt'],
  ['Building', 'Bldg'], ['Floor', 'Fl'], ['North', 'N'], ['South', 'S'], ['East', 'E'], ['West', 'W'],
].map(([long, short]) => [new RegExp(`\\b${long}\\b\\.?`, 'gi'), short] as [RegExp, string]);

/** "123 North Main Street" → "123 N Main St"; also drops the dot of "St." so both forms compare equal. */
export function abbreviateStreet(line: string): string {
  let out = line;
  for (const [pattern, short] of ABBREVIATIONS) out = out.replace(pattern, short);
  return out.replace(/\b(St|Ave|Blvd|Rd|Dr|Ln|Ct|Pl|Ter|Pkwy|Hwy|Cir|Sq|Ste|Apt|Bldg|Fl)\./g, '$1');
}
