/**
 * MSI (commerce.md §2.9–2.10): sources, source items (upsert returns `[]`), stocks, and salable
 * quantity = Σ in-stock source quantities of the stock's sources + Σ reservations − min qty.
 */
import { bodyObject, optionalArray, requiredObject, toNumber, toText, type RequestContext, type SimCore } from './context';
import { MagentoError, inputError, invalidField, noSuchEntity, productNotFound, type ErrorParameters } from './errors';
import { money, sourceItemKey, type Rec } from './state';

const validationFailed = (errors: { message: string; parameters?: ErrorParameters }[]) => new MagentoError(400, 'Validation Failed', undefined, { errors });

export function getSource(sim: SimCore, code: string): Rec {
  const source = sim.store.state.sources[code];
  if (!source) throw new MagentoError(404, 'Source with code "%value" does not exist.', { value: code });
  return source;
}

function saveSource(sim: SimCore, input: Rec, existing?: Rec): Rec {
  const errors: { message: string; parameters?: ErrorParameters }[] = [];
  const merged = { ...(existing ?? { enabled: true, use_default_carrier_config: true, carrier_links: [] }), ...input };
  for (const f of ['source_code', 'name', 'postcode', 'country_id']) {
    if (merged[f] === undefined || merged[f] === null || String(merged[f]).trim() === '') errors.push({ message: '"%field" can not be empty.', parameters: { field: f } });
  }
  if (merged.source_code && /\s/.test(String(merged.source_code))) errors.push({ message: '"%field" can not contain whitespaces.', parameters: { field: 'source_code' } });
  if (errors.length) throw validationFailed(errors);
  merged.enabled = merged.enabled === true || merged.enabled === 1 || merged.enabled === '1';
  sim.store.state.sources[merged.source_code] = merged;
  sim.store.changed();
  return merged;
}

export function createSource(ctx: RequestContext, sim: SimCore): string {
  const input = requiredObject(bodyObject(ctx), 'source');
  const code = toText(input.source_code, 'source.source_code', true)!;
  if (sim.store.state.sources[code]) throw inputError('Could not save Source'); // ASSUMED: a duplicate primary key
  saveSource(sim, input);
  return code;
}

export function updateSource(ctx: RequestContext, sim: SimCore): string {
  const code = ctx.params.sourceCode ?? '';
  const existing = getSource(sim, code);
  const input = requiredObject(bodyObject(ctx), 'source');
  saveSource(sim, { ...input, source_code: code }, existing);
  return code;
}

export const readSource = (ctx: RequestContext, sim: SimCore) => getSource(sim, ctx.params.sourceCode ?? '');

function validateSourceItems(sim: SimCore, items: Rec[], withQuantity: boolean): Rec[] {
  const errors: { message: string; parameters?: ErrorParameters }[] = [];
  const clean = items.map((raw, i) => {
    if (!raw || typeof raw !== 'object') {
      errors.push({ message: '"%field" can not be empty.', parameters: { field: `sourceItems[${i}]` } });
      return {};
    }
    const sku = typeof raw.sku === 'string' ? raw.sku.trim() : '';
    if (!sku) errors.push({ message: '"%field" can not be empty.', parameters: { field: 'sku' } });
    const code = typeof raw.source_code === 'string' ? raw.source_code : '';
    if (!code) errors.push({ message: '"%field" can not be empty.', parameters: { field: 'source_code' } });
    else if (!sim.store.state.sources[code]) errors.push({ message: 'Source with code "%value" does not exist.', parameters: { value: code } });
    if (!withQuantity) return { sku, source_code: code };
    const qty = typeof raw.quantity === 'number' ? raw.quantity : typeof raw.quantity === 'string' && /^-?\d+(\.\d+)?$/.test(raw.quantity) ? Number(raw.quantity) : NaN;
    if (!Number.isFinite(qty)) errors.push({ message: '"%field" should be numeric.', parameters: { field: 'quantity' } });
    const status = Number(raw.status);
    if (!(status === 0 || status === 1)) errors.push({ message: '"%field" should be numeric.', parameters: { field: 'status' } });
    return { sku, source_code: code, quantity: money(qty), status };
  });
  if (errors.length) throw validationFailed(errors);
  return clean;
}

export function saveSourceItems(ctx: RequestContext, sim: SimCore): [] {
  const items = optionalArray(bodyObject(ctx), 'sourceItems');
  if (!items) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'sourceItems' });
  if (items.length === 0) throw inputError('Input data is empty');
  for (const item of validateSourceItems(sim, items, true)) sim.store.putSourceItem(item);
  sim.store.changed();
  return [];
}

export function deleteSourceItems(ctx: RequestContext, sim: SimCore): [] {
  const items = optionalArray(bodyObject(ctx), 'sourceItems');
  if (!items) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'sourceItems' });
  for (const item of validateSourceItems(sim, items, false)) sim.store.deleteSourceItem(item.sku, item.source_code);
  sim.store.changed();
  return [];
}

/** Rows for a source-item search; a plain `sku eq|in` filter uses the per-SKU index instead of a scan. */
export function sourceItemRows(sim: SimCore, skuHint?: string[]): Iterable<Rec> {
  if (skuHint) return skuHint.flatMap((sku) => sim.store.sourceItemsOf(sku));
  return Object.values(sim.store.state.sourceItems);
}

function getStock(sim: SimCore, stockId: number): Rec {
  const stock = sim.store.state.stocks[stockId];
  if (!stock) throw noSuchEntity('stockId', stockId);
  return stock;
}

export const readStock = (ctx: RequestContext, sim: SimCore) => getStock(sim, toNumber(ctx.params.stockId, 'stockId', { integer: true })!);

/** Sources selling into a stock: every enabled source (the sandbox links all sources to stock 1). */
function stockSources(sim: SimCore, stockId: number): Set<string> {
  getStock(sim, stockId);
  return new Set(Object.values(sim.store.state.sources).filter((s) => s.enabled !== false).map((s) => s.source_code));
}

export function salableQty(sim: SimCore, sku: string, stockId: number): number {
  const sources = stockSources(sim, stockId);
  const items = sim.store.sourceItemsOf(sku);
  const product = sim.store.state.products[sku];
  if (!product && items.length === 0) throw productNotFound();
  if (product?.type_id && ['configurable', 'bundle', 'grouped'].includes(product.type_id)) {
    throw inputError("Can't check requested quantity for products without Source Items support.");
  }
  const onHand = items.filter((i) => sources.has(i.source_code) && i.status === 1).reduce((s, i) => s + i.quantity, 0);
  const minQty = 0;
  return money(onHand + sim.store.reservedQty(sku) - minQty);
}

function skuAndStock(ctx: RequestContext): { sku: string; stockId: number } {
  const sku = ctx.params.sku ?? '';
  if (!sku.trim()) throw invalidField('sku', sku);
  return { sku, stockId: toNumber(ctx.params.stockId, 'stockId', { integer: true, min: 1 })! };
}

export function getSalableQty(ctx: RequestContext, sim: SimCore): number {
  const { sku, stockId } = skuAndStock(ctx);
  return salableQty(sim, sku, stockId);
}

export function isSalable(ctx: RequestContext, sim: SimCore): boolean {
  const { sku, stockId } = skuAndStock(ctx);
  try {
    return salableQty(sim, sku, stockId) > 0;
  } catch (err) {
    if (err instanceof MagentoError && err.status === 404 && !sim.store.state.stocks[stockId]) throw err;
    return false;
  }
}

export function isSalableForQty(ctx: RequestContext, sim: SimCore): Rec {
  const { sku, stockId } = skuAndStock(ctx);
  const requested = toNumber(ctx.params.requestedQty, 'requestedQty', { min: 0 })!;
  const qty = salableQty(sim, sku, stockId);
  return qty >= requested
    ? { salable: true, errors: [] }
    : { salable: false, errors: [{ code: 'is_correct_qty-max_sale_qty', message: 'The requested qty is not available' }] };
}

export function sourceItemKeyOf(item: Rec) {
  return sourceItemKey(item.sku, item.source_code);
}
