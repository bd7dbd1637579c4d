/**
 * Turns a proposal plus the person's (or the config file's) choices into the maps that are saved.
 * Choices may name Heartland things by id or by name; a name that matches nothing is an error
 * naming the config field, never a silently dropped entry.
 */
import type { SetupConfig } from './config-file';
import type { CommerceDiscovery } from './commerce';
import type { HeartlandDiscovery } from './heartland';
import type { MapProposal } from './proposal';

export interface ChosenMaps {
  stationId?: string;
  sourceLocationId?: string;
  locationToSource: { locationId: string; sourceCode: string }[];
  paymentMethodMap: { magentoCode: string; paymentTypeId: string }[];
  shippingMethodMap: { magentoCode: string; heartlandShippingMethodId: string }[];
  /** `null`: gift cards off. */
  giftCardPaymentTypeId?: string | null;
}

export class SetupChoiceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SetupChoiceError';
  }
}

/** The proposal taken as is. */
export function acceptProposal(proposal: MapProposal): ChosenMaps {
  return {
    stationId: proposal.stationId?.value,
    sourceLocationId: proposal.sourceLocationId?.value,
    locationToSource: proposal.locationToSource.map((p) => p.value),
    paymentMethodMap: proposal.paymentMethodMap.map((p) => p.value),
    shippingMethodMap: proposal.shippingMethodMap.map((p) => p.value),
    giftCardPaymentTypeId: proposal.giftCardPaymentTypeId?.value,
  };
}

function resolve<T extends { id: string; name: string }>(list: T[], value: string, field: string, what: string): T {
  const byId = list.find((x) => x.id === value);
  if (byId) return byId;
  const byName = list.filter((x) => x.name.toLowerCase() === value.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new SetupChoiceError(field, `${byName.length} Heartland ${what}s are named "${value}"; use the id (${byName.map((x) => x.id).join(', ')})`);
  const known = list.slice(0, 8).map((x) => `${x.name} (${x.id})`).join(', ');
  throw new SetupChoiceError(field, `no Heartland ${what} has the id or name "${value}"${known ? `; known: ${known}${list.length > 8 ? ', …' : ''}` : ''}`);
}

function upsert<T extends { magentoCode: string }>(list: T[], entry: T): T[] {
  return [...list.filter((e) => e.magentoCode !== entry.magentoCode), entry];
}

/** Applies the config file's `choices` over the proposal (or over nothing with `acceptProposals: false`). */
export function applyConfigChoices(proposal: MapProposal, choices: SetupConfig['choices'], heartland: HeartlandDiscovery, commerce: CommerceDiscovery): ChosenMaps {
  const chosen: ChosenMaps = choices.acceptProposals ? acceptProposal(proposal) : { locationToSource: [], paymentMethodMap: [], shippingMethodMap: [] };
  const locations = heartland.locations;
  const stations = locations.flatMap((l) => l.stations);
  if (choices.sourceLocationId !== undefined) chosen.sourceLocationId = resolve(locations, choices.sourceLocationId, 'choices.sourceLocationId', 'location').id;
  if (choices.stationId !== undefined) {
    const atLocation = stations.filter((s) => locations.find((l) => l.id === chosen.sourceLocationId)?.stations.includes(s));
    const byId = stations.find((s) => s.id === choices.stationId);
    chosen.stationId = byId ? byId.id : resolve(atLocation.length ? atLocation : stations, choices.stationId, 'choices.stationId', 'station').id;
  }
  for (const [key, sourceCode] of Object.entries(choices.locationToSource ?? {})) {
    const location = resolve(locations, key, `choices.locationToSource.${key}`, 'location');
    if (commerce.sources.length && !commerce.sources.some((s) => s.code === sourceCode)) {
      throw new SetupChoiceError(`choices.locationToSource.${key}`, `Magento has no MSI source "${sourceCode}"; known: ${commerce.sources.map((s) => s.code).join(', ')}`);
    }
    chosen.locationToSource = [...chosen.locationToSource.filter((m) => m.locationId !== location.id), { locationId: location.id, sourceCode }];
  }
  for (const [code, type] of Object.entries(choices.paymentMethodMap ?? {})) {
    chosen.paymentMethodMap = upsert(chosen.paymentMethodMap, { magentoCode: code, paymentTypeId: resolve(heartland.paymentTypes, type, `choices.paymentMethodMap.${code}`, 'payment type').id });
  }
  for (const [code, method] of Object.entries(choices.shippingMethodMap ?? {})) {
    chosen.shippingMethodMap = upsert(chosen.shippingMethodMap, { magentoCode: code, heartlandShippingMethodId: resolve(heartland.shippingMethods, method, `choices.shippingMethodMap.${code}`, 'shipping method').id });
  }
  if (choices.giftCardPaymentType === null) chosen.giftCardPaymentTypeId = null;
  else if (choices.giftCardPaymentType !== undefined) chosen.giftCardPaymentTypeId = resolve(heartland.paymentTypes, choices.giftCardPaymentType, 'choices.giftCardPaymentType', 'payment type').id;
  return chosen;
}
