/**
 * Proposed maps from what was discovered: Heartland location → MSI source by name similarity,
 * Magento payment and shipping methods → Heartland payment types and shipping methods (by the
 * names in the default value maps, then by similarity), the fulfilment location and station, and
 * the gift card payment type. Each entry carries its reason and score so the person accepting it
 * can judge. Anything already in the stored settings wins: a re-run keeps earlier choices.
 */
import type { ConnectorSettings } from '../config/connector-settings';
import { DEFAULT_VALUE_MAPS, VALUE_MAP_NAMES } from '../mapping/defaults/value-maps';
import { splitWords, wordOverlap } from '../insights/suggest/names';
import type { CommerceDiscovery } from './commerce';
import type { HeartlandDiscovery } from './heartland';

export interface Proposed<T> {
  value: T;
  /** 0..1; 1 for an exact match or a kept earlier choice. */
  score: number;
  reason: string;
}

export interface MapProposal {
  stationId?: Proposed<string>;
  sourceLocationId?: Proposed<string>;
  locationToSource: Proposed<{ locationId: string; sourceCode: string }>[];
  paymentMethodMap: Proposed<{ magentoCode: string; paymentTypeId: string }>[];
  shippingMethodMap: Proposed<{ magentoCode: string; heartlandShippingMethodId: string }>[];
  giftCardPaymentTypeId?: Proposed<string>;
  /** What could not be proposed, in words (e.g. a location with no similar source). */
  gaps: string[];
}

/**
 * Lower-case words of a name or code (the suggestion engine's splitter, lib/insights):
 * `Main Street (Heartland)` and `main_street` → [main, street, …].
 */
export function words(text: string): string[] {
  return splitWords(text.normalize('NFKD')).filter((w) => w !== '#');
}

function bigrams(text: string): string[] {
  const s = words(text).join('');
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/**
 * Similarity of two names, 0..1: the best of word overlap (the suggestion engine's Dice over
 * words with plurals folded), containment of the shorter name's words in the longer (weighted
 * 0.85: "Check" in "Check / Money order"), and character bigram Dice (`mainst` vs `Main Street`).
 */
export function nameSimilarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (!wa.length || !wb.length) return 0;
  const overlap = wordOverlap(wa, wb);
  const containment = (overlap.shared.length / Math.min(new Set(wa).size, new Set(wb).size)) * 0.85;
  const ba = bigrams(a);
  const bb = bigrams(b);
  let dice = 0;
  if (ba.length && bb.length) {
    const pool = [...bb];
    let hits = 0;
    for (const g of ba) {
      const i = pool.indexOf(g);
      if (i >= 0) {
        hits++;
        pool.splice(i, 1);
      }
    }
    dice = (2 * hits) / (ba.length + bb.length);
  }
  return Math.min(1, Math.max(overlap.score, containment, dice));
}

const THRESHOLD = 0.6;

function best<T>(names: string[], candidates: T[], nameOf: (c: T) => string[]): { candidate: T; score: number; matched: string } | undefined {
  let top: { candidate: T; score: number; matched: string } | undefined;
  for (const c of candidates) {
    for (const n of names) {
      for (const cn of nameOf(c)) {
        const score = nameSimilarity(n, cn);
        if (!top || score > top.score) top = { candidate: c, score, matched: cn };
      }
    }
  }
  return top;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function proposeMaps(heartland: HeartlandDiscovery, commerce: CommerceDiscovery, stored?: ConnectorSettings): MapProposal {
  const gaps: string[] = [];
  const proposal: MapProposal = { locationToSource: [], paymentMethodMap: [], shippingMethodMap: [], gaps };

  // Locations → sources. `default` is Magento's own source; it is chosen only when it is the only one.
  const sources = commerce.sources.filter((s) => s.enabled);
  const named = sources.filter((s) => s.code !== 'default');
  for (const location of heartland.locations.filter((l) => l.active)) {
    const kept = stored?.locationToSource.find((m) => m.locationId === location.id);
    if (kept) {
      proposal.locationToSource.push({ value: kept, score: 1, reason: 'kept from the stored settings' });
      continue;
    }
    const pool = named.length ? named : sources;
    const match = best([location.name, ...(location.publicId ? [location.publicId] : [])], pool, (s) => [s.name, s.code]);
    // A store with a single source (Magento's `default`) gets every location: they all feed it.
    if (match && (match.score >= THRESHOLD || sources.length === 1)) {
      proposal.locationToSource.push({
        value: { locationId: location.id, sourceCode: match.candidate.code },
        score: round(match.score),
        reason: match.score >= THRESHOLD ? `"${location.name}" is like source "${match.matched}"` : 'the only MSI source',
      });
    } else {
      gaps.push(`Heartland location "${location.name}" (${location.id}) has no MSI source with a similar name${sources.length ? '' : ' (there are no sources)'}`);
    }
  }

  // Fulfilment location and station.
  const locationIds = new Set(heartland.locations.map((l) => l.id));
  if (stored?.sourceLocationId && locationIds.has(stored.sourceLocationId)) {
    proposal.sourceLocationId = { value: stored.sourceLocationId, score: 1, reason: 'kept from the stored settings' };
  } else {
    const first = proposal.locationToSource[0]?.value.locationId ?? heartland.locations.find((l) => l.active)?.id;
    if (first) proposal.sourceLocationId = { value: first, score: 0.5, reason: 'the first location with an MSI source; web orders are fulfilled from it unless the location map says otherwise' };
    else gaps.push('Heartland has no active location to fulfil web orders from');
  }
  const fulfilment = heartland.locations.find((l) => l.id === proposal.sourceLocationId?.value);
  const stations = heartland.locations.flatMap((l) => l.stations);
  if (stored?.stationId && stations.some((s) => s.id === stored.stationId)) {
    proposal.stationId = { value: stored.stationId, score: 1, reason: 'kept from the stored settings' };
  } else {
    const station = fulfilment?.stations.find((s) => s.active) ?? stations.find((s) => s.active);
    if (station) proposal.stationId = { value: station.id, score: 0.5, reason: `station "${station.name}" at ${fulfilment && fulfilment.stations.includes(station) ? `"${fulfilment.name}"` : 'another location'}` };
    else gaps.push('Heartland has no active station; create one (POST /stations) at the fulfilment location');
  }

  // Payment methods: the shop's codes plus the default map's, so common methods are ready before first use.
  const paymentTypes = heartland.paymentTypes.filter((p) => p.active);
  const paymentDefaults = DEFAULT_VALUE_MAPS[VALUE_MAP_NAMES.paymentTypeForMethod]!.entries as Record<string, string>;
  const paymentCodes = [...new Set([...commerce.paymentMethods, ...Object.keys(paymentDefaults)])];
  for (const code of paymentCodes) {
    const kept = stored?.paymentMethodMap.find((m) => m.magentoCode === code);
    if (kept) {
      proposal.paymentMethodMap.push({ value: kept, score: 1, reason: 'kept from the stored settings' });
      continue;
    }
    const hint = paymentDefaults[code];
    const match = best(hint ? [hint, code] : [code], paymentTypes, (p) => [p.name]);
    if (match && match.score >= THRESHOLD) {
      proposal.paymentMethodMap.push({ value: { magentoCode: code, paymentTypeId: match.candidate.id }, score: round(match.score), reason: `"${hint ?? code}" is like payment type "${match.candidate.name}"` });
    } else if (commerce.paymentMethods.includes(code)) {
      gaps.push(`Magento payment method "${code}" has no similar Heartland payment type; it is paid as the fallback (*) type`);
    }
  }
  if (!proposal.paymentMethodMap.some((m) => m.value.magentoCode === '*')) {
    const kept = stored?.paymentMethodMap.find((m) => m.magentoCode === '*');
    const fallback = paymentTypes.find((p) => /^web$/i.test(p.name)) ?? paymentTypes.find((p) => /external|web|online|e-?commerce/i.test(p.name));
    if (kept) proposal.paymentMethodMap.push({ value: kept, score: 1, reason: 'kept from the stored settings' });
    else if (fallback) proposal.paymentMethodMap.push({ value: { magentoCode: '*', paymentTypeId: fallback.id }, score: 0.5, reason: `fallback for other methods: payment type "${fallback.name}"` });
    else gaps.push('No Heartland payment type looks like a web payment type ("Web", "External"); create one (POST /payment_types {"name":"Web"}) or choose one for "*"');
  }

  // Shipping methods.
  const shippingMethods = heartland.shippingMethods.filter((m) => m.active);
  const shippingDefaults = DEFAULT_VALUE_MAPS[VALUE_MAP_NAMES.shippingMethodForCarrier]!.entries as Record<string, string>;
  const shippingCodes = [...new Set([...commerce.shippingMethods, ...Object.keys(shippingDefaults)])];
  for (const code of shippingCodes) {
    const kept = stored?.shippingMethodMap.find((m) => m.magentoCode === code);
    if (kept) {
      proposal.shippingMethodMap.push({ value: kept, score: 1, reason: 'kept from the stored settings' });
      continue;
    }
    const hint = shippingDefaults[code];
    const match = best(hint ? [hint, code] : [code], shippingMethods, (m) => [m.name]);
    if (match && match.score >= THRESHOLD) {
      proposal.shippingMethodMap.push({ value: { magentoCode: code, heartlandShippingMethodId: match.candidate.id }, score: round(match.score), reason: `"${hint ?? code}" is like shipping method "${match.candidate.name}"` });
    } else if (commerce.shippingMethods.includes(code)) {
      gaps.push(`Magento shipping method "${code}" has no similar Heartland shipping method; it is sent as the fallback (*) method`);
    }
  }
  if (!proposal.shippingMethodMap.some((m) => m.value.magentoCode === '*')) {
    const kept = stored?.shippingMethodMap.find((m) => m.magentoCode === '*');
    const fallback = shippingMethods.find((m) => /ground|standard|regular/i.test(m.name)) ?? shippingMethods[0];
    if (kept) proposal.shippingMethodMap.push({ value: kept, score: 1, reason: 'kept from the stored settings' });
    else if (fallback) proposal.shippingMethodMap.push({ value: { magentoCode: '*', heartlandShippingMethodId: fallback.id }, score: 0.5, reason: `fallback for other methods: shipping method "${fallback.name}"` });
  }

  // Gift cards: the payment type whose custom webhooks the connector answers.
  if (stored?.giftCards.paymentTypeId && paymentTypes.some((p) => p.id === stored.giftCards.paymentTypeId)) {
    proposal.giftCardPaymentTypeId = { value: stored.giftCards.paymentTypeId, score: 1, reason: 'kept from the stored settings' };
  } else {
    const gift = paymentTypes.find((p) => /gift/i.test(p.name));
    if (gift) proposal.giftCardPaymentTypeId = { value: gift.id, score: 0.9, reason: `payment type "${gift.name}"` };
  }
  return proposal;
}
