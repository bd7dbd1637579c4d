/**
 * Redaction of card numbers and credentials before anything is stored or logged (DESIGN.md §1.6).
 * Deliberately over-eager: a masked order number costs a moment of confusion, a logged PAN or API
 * key costs a PCI incident. Everything here is pure and synchronous so loggers can call it per line.
 */

export const REDACTED = '[redacted]';

/**
 * Object keys whose values are credentials, whatever the nesting or casing. Card security codes
 * (3–4 digits) cannot be recognised by shape, so they are caught by name (PCI: never stored).
 */
const SECRET_KEY = /secret|token|password|authorization|api[_-]?key|consumer_secret|access_token|signature|cookie|cvv|cvc|card_?security_?code/i;

/**
 * A run of 13 or more digits, single spaces or dashes allowed between digits. Not preceded or
 * followed by another digit, so a PAN is never cut out of the middle of a longer number.
 */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){12,}(?!\d)/g;

/** Credentials written inline in text: `access_token=...` in a URL, `Bearer ...` in a header dump. */
const INLINE_SECRET = /\b((?:[a-z_]*?)(?:secret|token|password|api[_-]?key|signature))(="?|":\s*"|:\s*"?)([^&\s"',;]+)/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|OAuth)\s+[A-Za-z0-9\-._~+/=,"]{8,}/g;

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

interface PanSpan {
  start: number;
  end: number;
}

/**
 * Card numbers inside one digit run. The whole run is tried first; when it is longer than 19
 * digits or fails Luhn, windows made of whole separator groups are tried ("4111 1111 1111 1111 12"
 * still hides the card). A run without separators is only a PAN as a whole.
 */
function pansInRun(run: string, offset: number): PanSpan[] {
  const digits = run.replace(/[ -]/g, '');
  if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return [{ start: offset, end: offset + run.length }];
  const groups: Array<{ start: number; end: number; digits: string }> = [];
  const groupPattern = /\d+/g;
  for (let m = groupPattern.exec(run); m; m = groupPattern.exec(run)) {
    groups.push({ start: m.index, end: m.index + m[0].length, digits: m[0] });
  }
  if (groups.length < 2) return [];
  const found: PanSpan[] = [];
  let i = 0;
  while (i < groups.length) {
    let matchedEnd = -1;
    let text = '';
    for (let j = i; j < groups.length; j++) {
      text += groups[j].digits;
      if (text.length > 19) break;
      if (text.length >= 13 && passesLuhn(text)) matchedEnd = j;
    }
    if (matchedEnd >= 0) {
      found.push({ start: offset + groups[i].start, end: offset + groups[matchedEnd].end });
      i = matchedEnd + 1;
    } else {
      i++;
    }
  }
  return found;
}

function findPans(text: string): PanSpan[] {
  const spans: PanSpan[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) spans.push(...pansInRun(m[0], m.index ?? 0));
  return spans;
}

/** True when the text contains something that looks like a card number (13–19 digits, spaces or dashes allowed, Luhn-valid). */
export function looksLikePan(text: string): boolean {
  return findPans(text).length > 0;
}

/** Masks every card number in the text, keeping its separators and last four digits: `**** **** **** 1111`. */
export function redactPans(text: string): string {
  const spans = findPans(text);
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    const pan = text.slice(span.start, span.end);
    const totalDigits = pan.replace(/[ -]/g, '').length;
    let seen = 0;
    let masked = '';
    for (const ch of pan) {
      if (ch >= '0' && ch <= '9') {
        seen++;
        masked += seen > totalDigits - 4 ? ch : '*';
      } else {
        masked += ch;
      }
    }
    out += text.slice(cursor, span.start) + masked;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/**
 * Values of configured secrets (action inputs such as HEARTLAND_API_TOKEN), masked wherever they
 * appear, whatever the key or sentence around them: an upstream error that echoes the token, a URL
 * with the webhook secret in its path. Process-wide on purpose: every action in a container has the
 * same inputs, and the loggers and stores that redact do not see the inputs themselves.
 */
const secretValues = new Map<string, true>();
/** Shorter values would mask ordinary words; real credentials are much longer. */
export const MIN_REGISTERED_SECRET_LENGTH = 6;
const MAX_REGISTERED_SECRETS = 64;
let secretPatterns: string[] = [];

/** Input names that hold credentials: `*_TOKEN`, `*_SECRET*`, `*_PASSWORD`, `*_AUTH`, API keys… */
export function isSecretInputName(name: string): boolean {
  return SECRET_KEY.test(name) || /(^|_)(AUTH|PASSWORD|PRIVATE_KEY)$/i.test(name);
}

/**
 * Adds values to mask everywhere (and their URL-encoded form). Empty and very short values are
 * ignored. Bounded: the oldest registrations go first, so rotating secrets cannot grow it forever.
 */
export function registerSecretValues(values: Iterable<string | undefined | null>): void {
  let changed = false;
  for (const value of values) {
    if (typeof value !== 'string' || value.length < MIN_REGISTERED_SECRET_LENGTH) continue;
    for (const form of new Set([value, encodeURIComponent(value)])) {
      if (secretValues.has(form)) continue;
      secretValues.set(form, true);
      changed = true;
      if (secretValues.size > MAX_REGISTERED_SECRETS) secretValues.delete(secretValues.keys().next().value as string);
    }
  }
  // Longest first, so a secret that contains another is masked whole.
  if (changed) secretPatterns = [...secretValues.keys()].sort((a, b) => b.length - a.length);
}

/** Registers the values of every input whose name marks it as a credential. */
export function registerSecretInputs(inputs: Record<string, string | undefined>): void {
  registerSecretValues(Object.entries(inputs).filter(([name]) => isSecretInputName(name)).map(([, value]) => value));
}

/** Forgets every registered value (tests). */
export function clearSecretValues(): void {
  secretValues.clear();
  secretPatterns = [];
}

function maskRegisteredSecrets(text: string): string {
  let out = text;
  for (const secret of secretPatterns) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Card numbers and inline credentials (`api_key=...`, `Bearer ...`) masked in free text such as error messages. */
export function redactText(text: string): string {
  return redactPans(maskRegisteredSecrets(text))
    .replace(INLINE_SECRET, (_all, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(AUTH_SCHEME, (_all, scheme: string) => `${scheme} ${REDACTED}`);
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A deep copy with credentials replaced by "[redacted]" (by key name) and card numbers masked in
 * every string. Errors become plain objects (name, message, stack, own fields) so they serialise;
 * cycles become "[circular]". The input is never modified.
 */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return redactText(value.toString());
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
    if (value instanceof Date) return value;
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (value instanceof Map) return redactValue(Object.fromEntries(value), seen);
    if (value instanceof Set) return redactValue([...value], seen);
    const source: Record<string, unknown> =
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack, ...(value as unknown as Record<string, unknown>) }
        : (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(source)) {
      if (item === undefined) continue;
      out[key] = isSecretKey(key) && item !== null && item !== '' ? REDACTED : redactValue(item, seen);
    }
    if (value instanceof Error && value.cause !== undefined && !('cause' in out)) out.cause = redactValue(value.cause, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}
