/**
 * Products → Magento (issue 8): a Heartland item creates or updates the Magento simple product
 * with the same SKU (`public_id`). Name, description, price, special price (a markdown below
 * `original_price`), weight, status from `active`, and attributes from custom fields through the
 * merchant's mapping document (`entities.product.fromHeartland` rules, `lib/mapping`).
 *
 * Settings: `products.createNew` (off: update only), `products.magentoOwnedAttributes` (edited in
 * Magento; never overwritten once the product exists), `anomalies.maxPriceChangeShare` and
 * `anomalies.holdPriceChanges` (a price change beyond the limit is recorded and held, price-hold.ts). Never deletes (DESIGN.md §4): an item made
 * inactive in Heartland becomes a disabled product.
 *
 * Item grids → configurable products are not done: the API facts (heartland.md §3.3) give a grid's
 * item list and its description/price, but not which custom fields are the grid's axes (size,
 * colour...) nor their value order, and Magento needs exactly those as configurable options with
 * attribute option ids. Guessing them would create wrong variants, so grid items stay simple
 * products; the grid id travels on the canonical product (`groupId`) for a later flow.
 */
import { loadConnectorSettings } from '../../config/connector-settings';
import type { Product as MagentoProduct, ProductInput } from '../../commerce/payloads';
import type { Item as HeartlandItem } from '../../heartland/payloads';
import { createMappingRepository, mapEntity } from '../../mapping';
import { defineFlow, MappingError, type FlowContext } from '../../sync';
import { priceChangeGuard, readPriceDecision, withoutRejectedPrices, type PriceDecisionState, type PriceGuardSettings } from './price-hold';

export const PRODUCT_FLOW = 'product';

interface ProductSource {
  item: HeartlandItem;
  /** The Magento product with this SKU now, if any (decides create vs update). */
  magento?: MagentoProduct;
  createNew: boolean;
  owned: string[];
  /** Price-change limit and whether a change beyond it waits for approval (price-hold.ts). */
  priceGuard: PriceGuardSettings;
  /** The item's last flagged price proposal and what a person decided, if any. */
  priceDecision?: PriceDecisionState;
}

async function load(key: string, ctx: FlowContext): Promise<ProductSource | undefined> {
  const id = Number(key);
  if (!Number.isInteger(id) || id <= 0) throw new MappingError('key', `"${key}" is not a Heartland item id`);
  const item = await ctx.client('heartland').items.find(id);
  if (!item) return undefined;
  const settings = await loadConnectorSettings(ctx.state);
  const magento = item.public_id ? await ctx.client('commerce').products.find(item.public_id) : undefined;
  return {
    item,
    magento,
    createNew: settings.products.createNew,
    owned: settings.products.magentoOwnedAttributes,
    priceGuard: { maxChangeShare: settings.anomalies.maxPriceChangeShare, hold: settings.anomalies.holdPriceChanges },
    // Only an existing product has a price to protect; new ones skip the read.
    priceDecision: magento ? await readPriceDecision(ctx, key) : undefined,
  };
}

/** The Magento body: mapped through the effective mapping document, minus Magento-owned fields on update. */
async function map(source: ProductSource, ctx: FlowContext): Promise<ProductInput> {
  const document = await createMappingRepository(ctx.state, { clock: ctx.clock }).effective();
  const outcome = mapEntity({ entity: 'product', from: 'heartland', to: 'commerce', input: source.item, document, context: { createProducts: !source.magento } });
  if (outcome.status === 'invalid') {
    const first = outcome.issues[0];
    throw new MappingError(first?.path ?? 'item', first?.message ?? 'the item cannot be mapped to a product');
  }
  if (outcome.status !== 'mapped') throw new MappingError('item', outcome.status === 'skipped' ? outcome.reason : outcome.message);
  const requests = outcome.output as Array<{ body: { product: ProductInput } }>;
  const product = { ...requests[0].body.product };
  if (source.magento) {
    const owned = new Set(source.owned);
    for (const key of Object.keys(product)) if (owned.has(key)) delete (product as Record<string, unknown>)[key];
    product.custom_attributes = product.custom_attributes?.filter((a) => !owned.has(a.attribute_code));
  }
  return withoutRejectedPrices(product, source.priceDecision);
}

const same = (a: unknown, b: unknown) => (a === b ? true : a == null || b == null ? (a ?? '') === (b ?? '') : String(a) === String(b));

/** True when Magento already shows every value the connector would write. */
export function productUnchanged(current: MagentoProduct, next: ProductInput): boolean {
  for (const field of ['name', 'price', 'status', 'weight'] as const) {
    if (next[field] !== undefined && !same(current[field], next[field])) return false;
  }
  const attrs = new Map((current.custom_attributes ?? []).map((a) => [a.attribute_code, a.value]));
  return (next.custom_attributes ?? []).every((a) => same(attrs.get(a.attribute_code), a.value));
}

export const productFlow = defineFlow<ProductSource, ProductInput>({
  name: PRODUCT_FLOW,
  entity: 'product',
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  load: (unit, ctx) => load(unit.key, ctx),
  version: (source) => source.item.updated_at ?? undefined,
  filter(source) {
    if (!source.item.public_id?.trim()) return `Heartland item ${source.item.id} has no Item # (public_id), so it has no Magento SKU`;
    if (!source.magento && !source.createNew) return `SKU ${source.item.public_id} is not in Magento and settings.products.createNew is off`;
    return undefined;
  },
  map,
  // A price change beyond settings.anomalies.maxPriceChangeShare is recorded and, by default, held.
  guard: (product, ctx, source) =>
    priceChangeGuard(product, ctx, { itemId: String(source.item.id), sku: product.sku, magento: source.magento, settings: source.priceGuard, decided: source.priceDecision }),
  async write(product, ctx, source) {
    if (source.magento && productUnchanged(source.magento, product)) return { targetId: product.sku, action: 'unchanged' };
    // PUT /V1/products/{sku} is an upsert by SKU: a retry after a lost response cannot create a second product.
    await ctx.client('commerce').products.save(product);
    return { targetId: product.sku, action: source.magento ? 'updated' : 'created' };
  },
});


