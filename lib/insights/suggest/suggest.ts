/**
 * Mapping suggestions: for each source field, the target field it most likely fills, with a
 * confidence (0..1) and a sentence saying why. Evidence, in order of weight: the names (same
 * words, known synonyms, what the target system calls the field), the sample values (do they
 * look like what the target holds), whether the types can go together at all, and where the
 * fields live (billing address vs shipping address). No model, no network: every number here
 * can be explained from the reason text.
 */
import { conceptLabel, conceptOf, contextAgreement, nameParts, wordOverlap, type NameParts } from './names';
import { customFieldTargets, recogniseSource, TargetError, targetFields, type CustomFieldDefinition, type TargetField, type TargetSystem } from './targets';
import { sourceFields, type SourceField, type SuggestSource } from './sources';
import { kindShare, profileValues, VALUE_KIND_LABELS, type ValueKind, type ValueProfile } from './values';

export interface MappingSuggestion {
  /** Dotted path in the source sample: `billing_address.postcode`, `custom_attributes.color`. */
  source: string;
  /** Dotted path in the target payload: `addresses[].postal_code`, `custom.color`. */
  target: string;
  /** 0..1, two decimals. */
  confidence: number;
  reason: string;
}

export interface SuggestInput {
  source: SuggestSource;
  /** `heartland:<entity>`, `commerce:<entity>`, or an explicit field list. */
  target: string | TargetField[];
  /** Heartland custom fields (from `GET /custom_fields`) offered as `custom.<key>`. */
  customFields?: CustomFieldDefinition[];
  /** Suggestions below this are left out (default 0.4). */
  minConfidence?: number;
  /** Pairs the mapping already has: their sources get no suggestion and their targets are taken. */
  alreadyMapped?: Array<{ source?: string; target?: string }>;
}

export interface RankedSource {
  source: string;
  /** Best first, up to `limit`, before one-to-one assignment. */
  candidates: MappingSuggestion[];
}

/** Kinds so distinctive that matching values alone justify a (modest) suggestion. */
const DISTINCTIVE_KINDS = new Set<ValueKind>(['email', 'phone', 'country', 'postal_code', 'barcode', 'date', 'currency', 'url']);

/** Which profiled kinds satisfy what a target expects. */
const ACCEPTS: Partial<Record<ValueKind, ValueKind[]>> = {
  money: ['money'],
  number: ['number'],
  sku: ['sku', 'integer'],
  boolean: ['boolean'],
};

interface Prepared {
  field: SourceField;
  parts: NameParts;
  core: string[];
  concept?: string;
  profile: ValueProfile;
  /** What a recognised source payload's field is known to hold (Heartland item `public_id` → sku). */
  aliases: Record<string, number>;
  /** `heartland:item` when the sample was recognised. */
  recognisedAs?: string;
  /** The top-level id was read as "<entity> id". */
  ownId: boolean;
}

interface PreparedTarget {
  field: TargetField;
  parts: NameParts;
  concept?: string;
  multi: boolean;
}

interface Scored extends MappingSuggestion {
  sourceContext: string;
}

function entityOf(target: SuggestInput['target']): string | undefined {
  return typeof target === 'string' ? /^[a-z]+:([a-z_-]+)$/.exec(target)?.[1] : undefined;
}

function prepareSources(fields: SourceField[], entity: string | undefined): Prepared[] {
  const topLevel = [...new Set(fields.map((field) => field.path.split(/[.[]/, 1)[0]))];
  const recognised = recogniseSource(topLevel);
  return fields.map((field) => {
    const parts = nameParts(field.path, { headNoun: true });
    let core = parts.coreWords;
    // A record's own id at the top level is "the customer id" / "the order id" of that record.
    const ownId = parts.contextWords.length === 0 && !!entity && (core.join('_') === 'id' || core.join('_') === 'entity_id');
    if (ownId && entity) core = [entity === 'item' || entity === 'product' ? 'product' : entity, 'id'];
    const aliases = recognised?.notes[field.path]?.alsoKnownAs ?? {};
    return { field, parts, core, concept: conceptOf(core) ?? conceptOf(parts.leafWords), profile: profileValues(field.values), aliases, recognisedAs: recognised?.entity, ownId };
  });
}

function prepareTargets(fields: TargetField[]): PreparedTarget[] {
  return fields.map((field) => {
    const parts = nameParts(field.path);
    return { field, parts, concept: conceptOf(parts.coreWords), multi: field.path.includes('[]') };
  });
}

const quote = (text: string) => `‘${text}’`;
const leafName = (path: string) => path.split('.').pop() ?? path;

/** The name evidence: score 0..1 and the sentence that explains it. */
function nameEvidence(source: Prepared, target: PreparedTarget): { score: number; reason: string } {
  const s = source.core.join('_');
  const t = target.parts.coreWords.join('_');
  const sName = quote(source.parts.headNounOnly ? source.core.join(' ') : source.parts.leaf);
  const tName = quote(leafName(target.field.path));
  const options: Array<{ score: number; reason: string }> = [];
  // A field known to hold something other than its name says (Heartland item `description` is
  // the product name) only weakly matches fields of that name.
  const cap = Math.min(target.field.alsoKnownAs?.[t] ?? 1, source.aliases[s] ?? 1);
  if (s === t || source.parts.leafWords.join('_') === target.parts.leafWords.join('_')) {
    // `shipping_description` is a description, but of something the target field may not be about.
    const qualified = source.parts.leafWords.join('_') !== target.parts.leafWords.join('_') && source.parts.qualifierWords.length > 0;
    options.push({ score: cap * (qualified ? 0.85 : 1), reason: source.ownId ? `${sName} is the ${source.core.join(' ')}, which ${tName} holds` : `name ${sName} matches ${tName}` });
  }
  if (source.concept && source.concept === target.concept) options.push({ score: 0.95 * cap, reason: `name ${sName} is a synonym of ${tName} (${conceptLabel(source.concept)})` });
  for (const [phrase, strength] of Object.entries(source.aliases)) {
    if (phrase === s) continue;
    const phraseConcept = conceptOf(phrase.split('_')) ?? phrase;
    if (phrase === t || phraseConcept === target.concept || (target.field.alsoKnownAs?.[phrase] ?? 0) > 0) {
      options.push({ score: strength * 0.95, reason: `${sName} on a ${(source.recognisedAs ?? '').replace(':', ' ')} holds the ${conceptLabel(phraseConcept)}, which ${tName} takes` });
    }
  }
  for (const [phrase, strength] of Object.entries(target.field.alsoKnownAs ?? {})) {
    const phraseConcept = conceptOf(phrase.split('_')) ?? phrase;
    const exact = phrase === s;
    if (exact || phraseConcept === source.concept || phrase === source.concept || (phrase !== t && (source.aliases[phrase] ?? 0) > 0)) {
      const known = target.field.label ? `${tName} (“${target.field.label}”)` : tName;
      options.push({ score: strength * (exact ? 1 : 0.95) * (source.aliases[s] ?? 1), reason: exact ? `name ${sName} is what ${known} holds` : `name ${sName} means ${conceptLabel(phraseConcept)}, which ${known} holds` });
    }
  }
  const overlap = wordOverlap(source.core, target.parts.coreWords);
  const leafOverlap = wordOverlap(source.parts.leafWords, target.parts.leafWords);
  const shared = overlap.score >= leafOverlap.score ? overlap : leafOverlap;
  if (shared.score > 0) options.push({ score: 0.8 * shared.score, reason: `name ${sName} shares the word${shared.shared.length > 1 ? 's' : ''} ${shared.shared.join(', ')} with ${tName}` });
  if (options.length === 0) return { score: 0, reason: `name ${sName} has nothing in common with ${tName}` };
  const best = options.reduce((a, b) => (b.score > a.score ? b : a));
  if (!source.parts.headNounOnly) return best;
  const rest = best.reason
    .replace(/^name (‘[^’]*’) is /, '$1, ')
    .replace(/^name (‘[^’]*’) means /, '$1, meaning ')
    .replace(/^name (‘[^’]*’) matches /, '$1, matching ')
    .replace(/^name (‘[^’]*’) shares /, '$1, sharing ');
  return { score: best.score * 0.9, reason: `name ${quote(source.parts.leaf)} ends in ${rest}` };
}

/** The value evidence: share of samples that look like what the target holds (null: nothing to judge). */
function valueEvidence(source: Prepared, target: PreparedTarget): { share: number | null; reason?: string } {
  const kind = target.field.kind;
  if (!kind || source.profile.count === 0) return { share: null };
  const accepted = ACCEPTS[kind] ?? [kind];
  const profile = source.profile;
  let matched = 0;
  for (const k of accepted) matched = Math.max(matched, profile.matches[k] ?? 0);
  const share = matched / profile.count;
  const label = VALUE_KIND_LABELS[kind];
  const reason = share >= 0.5 ? `${matched}/${profile.count} sample values look like ${label}` : `only ${matched}/${profile.count} sample values look like ${label}`;
  return { share, reason };
}

/** Can these values go into this field at all? 1 = yes, lower = needs a transform or is wrong. */
function typeFit(source: Prepared, target: PreparedTarget): { factor: number; reason?: string } {
  const profile = source.profile;
  if (profile.count === 0 || target.field.type === 'any') return { factor: 1 };
  const fieldName = quote(leafName(target.field.path));
  if (target.field.type === 'number') {
    const numeric = Math.max(kindShare(profile, 'number') ?? 0, kindShare(profile, 'money') ?? 0);
    if (numeric >= 0.8) return { factor: 1 };
    if ((kindShare(profile, 'boolean') ?? 0) >= 0.8) return { factor: 0.85, reason: `${fieldName} takes a number, so yes/no needs a value map` };
    return { factor: 0.25, reason: `${fieldName} takes a number but the samples are text` };
  }
  if (target.field.type === 'boolean') {
    if ((kindShare(profile, 'boolean') ?? 0) >= 0.8) return { factor: 1 };
    if ((kindShare(profile, 'integer') ?? 0) >= 0.8) return { factor: 0.85, reason: `${fieldName} is yes/no, so the codes need a value map` };
    // A handful of distinct words (active/draft/archived) can be value-mapped to yes/no.
    const distinct = new Set(source.field.values.map((v) => String(v).trim().toLowerCase()));
    if (distinct.size <= 4 && distinct.size < profile.count && profile.count >= 3) return { factor: 0.85, reason: `${fieldName} is yes/no, so ${[...distinct].map((d) => `‘${d}’`).join(', ')} need a value map` };
    return { factor: 0.4, reason: `${fieldName} is yes/no but the samples are not` };
  }
  return { factor: 1 };
}

function score(source: Prepared, target: PreparedTarget): Scored | undefined {
  const name = nameEvidence(source, target);
  const value = valueEvidence(source, target);
  const fit = typeFit(source, target);
  const context = contextAgreement(source.parts.contextWords, target.parts.contextWords);
  // An order-level amount is not a line amount (context 0): that mismatch halves the name evidence.
  const named = name.score * (context === 0 ? 0.5 : 0.85 + 0.15 * context);
  let confidence = value.share === null ? named * 0.9 : named * (0.7 + 0.3 * value.share);
  const reasons = [name.reason];
  // A column of email addresses is an email column even when it is called "Contact".
  const distinctive = target.field.kind && DISTINCTIVE_KINDS.has(target.field.kind) && value.share !== null && value.share >= 0.8;
  if (distinctive && 0.55 * (value.share ?? 0) > confidence) confidence = 0.55 * (value.share ?? 0);
  if (value.reason && (value.share !== null && (value.share >= 0.5 || name.score > 0))) reasons.push(value.reason);
  confidence *= fit.factor;
  if (fit.reason) reasons.push(fit.reason);
  if (confidence <= 0) return undefined;
  return {
    source: source.field.path,
    target: target.field.path,
    confidence: Math.round(Math.min(1, confidence) * 100) / 100,
    reason: reasons.join('; '),
    sourceContext: [...source.parts.contextWords, ...source.parts.qualifierWords].join('.'),
  };
}

function resolveTargets(input: SuggestInput): TargetField[] {
  if (typeof input.target === 'string') return targetFields(input.target, input.customFields ?? []);
  if (!Array.isArray(input.target) || input.target.length === 0) throw new TargetError('target must be heartland:<entity>, commerce:<entity> or a non-empty field list');
  input.target.forEach((field, i) => {
    if (!field || typeof field.path !== 'string' || field.path.trim() === '') throw new TargetError(`target field ${i + 1} has no "path"`);
    if (!['string', 'number', 'boolean', 'any'].includes(field.type)) throw new TargetError(`target field "${field.path}": type must be string, number, boolean or any`);
  });
  // A declared field list takes custom fields the Heartland way (`custom.<key>`).
  const system: TargetSystem = 'heartland';
  return [...input.target, ...customFieldTargets(system, input.customFields ?? [])];
}

function allScores(input: SuggestInput): { sources: Prepared[]; scored: Scored[] } {
  const sources = prepareSources(sourceFields(input.source), entityOf(input.target));
  const targets = prepareTargets(resolveTargets(input));
  const scored: Scored[] = [];
  for (const source of sources) for (const target of targets) {
    const result = score(source, target);
    if (result) scored.push(result);
  }
  return { sources, scored };
}

/** Every source field's best candidates (no one-to-one assignment): for a panel's drop-down. */
export function rankCandidates(input: SuggestInput, limit = 3): RankedSource[] {
  const minimum = input.minConfidence ?? 0.4;
  const { sources, scored } = allScores(input);
  return sources.map((source) => ({
    source: source.field.path,
    candidates: scored
      .filter((s) => s.source === source.field.path && s.confidence >= minimum)
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, limit)
      .map(({ sourceContext: _context, ...suggestion }) => suggestion),
  }));
}

/**
 * One suggestion per source field that has a likely target, best first. A target takes one
 * source, except list fields (`addresses[].city`), which take one source per place (billing,
 * shipping) so both addresses of an order can land in a customer's address list.
 */
export function suggestMappings(input: SuggestInput): MappingSuggestion[] {
  const minimum = input.minConfidence ?? 0.4;
  const { scored } = allScores(input);
  const ordered = scored.filter((s) => s.confidence >= minimum).sort((a, b) => b.confidence - a.confidence || a.source.localeCompare(b.source));
  const doneSources = new Set<string>((input.alreadyMapped ?? []).flatMap((m) => (m.source ? [m.source] : [])));
  const takenTargets = new Map<string, Set<string>>();
  // A mapped list target (`addresses[].city`) still takes sources from other places (shipping after billing).
  for (const m of input.alreadyMapped ?? []) {
    if (!m.target) continue;
    const parts = m.source ? nameParts(m.source, { headNoun: true }) : undefined;
    const place = parts ? [...parts.contextWords, ...parts.qualifierWords].join('.') : '';
    takenTargets.set(m.target, new Set([...(takenTargets.get(m.target) ?? []), place]));
  }
  const result: MappingSuggestion[] = [];
  for (const candidate of ordered) {
    if (doneSources.has(candidate.source)) continue;
    const takers = takenTargets.get(candidate.target);
    if (takers && (!candidate.target.includes('[]') || takers.has(candidate.sourceContext))) continue;
    doneSources.add(candidate.source);
    takenTargets.set(candidate.target, new Set([...(takers ?? []), candidate.sourceContext]));
    const { sourceContext: _context, ...suggestion } = candidate;
    result.push(suggestion);
  }
  return result;
}
