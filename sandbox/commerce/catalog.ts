/**
 * Products by SKU with the legacy `stock_item` (commerce.md §2.8). In MSI single-source mode the
 * stock item is the `default` source item, so writing one writes the other.
 */
import { bodyObject, requiredObject, toBool, toNumber, toText, type RequestContext, type SimCore } from './context';
import { inputError, invalidField, productNotFound } from './errors';
import { magentoTime, money, sourceItemKey, type Rec } from './state';

export function skuParam(ctx: RequestContext, name = 'sku'): string {
  return ctx.params[name] ?? '';
}

function getProduct(sim: SimCore, sku: string): Rec {
  const product = sim.store.state.products[sku];
  if (!product) throw productNotFound();
  return product;
}

/** The legacy stock item view of a product, derived from its `default` source item. */
export function stockItemOf(sim: SimCore, product: Rec): Rec {
  const si = sim.store.state.sourceItems[sourceItemKey(product.sku, 'default')];
  const settings = product.stock_settings ?? {};
  return {
    item_id: product.id,
    product_id: product.id,
    stock_id: 1,
    qty: si?.quantity ?? 0,
    is_in_stock: si ? si.status === 1 : false,
    is_qty_decimal: false,
    show_default_notification_message: false,
    use_config_min_qty: true,
    min_qty: 0,
    use_config_min_sale_qty: 1,
    min_sale_qty: 1,
    use_config_max_sale_qty: true,
    max_sale_qty: 10000,
    use_config_backorders: true,
    backorders: 0,
    use_config_notify_stock_qty: true,
    notify_stock_qty: 1,
    use_config_qty_increments: true,
    qty_increments: 0,
    use_config_enable_qty_inc: true,
    enable_qty_increments: false,
    use_config_manage_stock: true,
    manage_stock: settings.manage_stock ?? true,
    low_stock_date: null,
    is_decimal_divided: false,
    stock_status_changed_auto: 0,
  };
}

/** The product as REST returns it. */
export function renderProduct(sim: SimCore, product: Rec): Rec {
  const { stock_settings: _settings, ...rest } = product;
  return { ...rest, extension_attributes: { ...(product.extension_attributes ?? {}), stock_item: stockItemOf(sim, product) } };
}

function applyStockItem(sim: SimCore, product: Rec, stockItem: Rec, field: string) {
  const qty = toNumber(stockItem.qty, `${field}.qty`, { min: 0 });
  if (stockItem.manage_stock !== undefined) product.stock_settings = { ...(product.stock_settings ?? {}), manage_stock: toBool(stockItem.manage_stock) };
  const key = sourceItemKey(product.sku, 'default');
  const current = sim.store.state.sourceItems[key];
  if (qty === undefined && stockItem.is_in_stock === undefined) return;
  const quantity = qty ?? current?.quantity ?? 0;
  const status = stockItem.is_in_stock === undefined ? (quantity > 0 ? 1 : 0) : toBool(stockItem.is_in_stock) ? 1 : 0;
  sim.store.putSourceItem({ sku: product.sku, source_code: 'default', quantity: money(quantity), status });
}

function save(sim: SimCore, input: Rec, pathSku?: string): Rec {
  const sku = toText(input.sku ?? pathSku, 'product.sku', true)!.trim();
  if (sku.length > 64) throw inputError('SKU length should be %1 characters maximum.', ['64']);
  const existing = sim.store.state.products[sku];
  const now = magentoTime(sim.now());
  if (!existing) {
    for (const f of ['name', 'price']) {
      if (input[f] === undefined || input[f] === null || input[f] === '') throw inputError('The "%1" attribute value is empty. Set the attribute and try again.', [f]);
    }
  }
  const ext = (input.extension_attributes ?? {}) as Rec;
  if (typeof ext !== 'object' || Array.isArray(ext)) throw invalidField('product.extension_attributes', JSON.stringify(ext));
  const { stock_item: stockItem, ...restExt } = ext;
  const customAttributes = input.custom_attributes ?? existing?.custom_attributes ?? [];
  if (!Array.isArray(customAttributes)) throw invalidField('product.custom_attributes', JSON.stringify(customAttributes));
  customAttributes.forEach((a: Rec, i: number) => {
    if (!a || typeof a.attribute_code !== 'string') throw invalidField(`product.custom_attributes[${i}].attribute_code`, JSON.stringify(a));
  });
  // Custom attributes merge by code, as a store-level save of some attributes keeps the others.
  const mergedAttributes = [...(existing?.custom_attributes ?? [])];
  for (const a of customAttributes as Rec[]) {
    const idx = mergedAttributes.findIndex((b: Rec) => b.attribute_code === a.attribute_code);
    if (idx >= 0) mergedAttributes[idx] = a;
    else mergedAttributes.push(a);
  }
  const product: Rec = {
    ...(existing ?? { id: sim.store.next('product'), attribute_set_id: 4, status: 1, visibility: 4, type_id: 'simple', created_at: now, product_links: [], options: [], media_gallery_entries: [], tier_prices: [] }),
    ...input,
    sku,
    custom_attributes: mergedAttributes,
    extension_attributes: { website_ids: [1], category_links: [], ...(existing?.extension_attributes ?? {}), ...restExt },
    updated_at: now,
  };
  for (const f of ['price', 'weight', 'status', 'visibility', 'attribute_set_id']) {
    if (product[f] !== undefined && product[f] !== null) product[f] = toNumber(product[f], `product.${f}`, { min: 0 });
  }
  if (existing && existing.id !== product.id) product.id = existing.id;
  sim.store.state.products[sku] = product;
  if (stockItem && typeof stockItem === 'object') applyStockItem(sim, product, stockItem as Rec, 'product.extension_attributes.stock_item');
  sim.emit('observer.catalog_product_save_commit_after', { ...product, stock_data: { qty: stockItemOf(sim, product).qty } });
  sim.store.changed();
  return renderProduct(sim, product);
}

export function createProduct(ctx: RequestContext, sim: SimCore): Rec {
  return save(sim, requiredObject(bodyObject(ctx), 'product'));
}

export function updateProduct(ctx: RequestContext, sim: SimCore): Rec {
  const sku = skuParam(ctx);
  const input = requiredObject(bodyObject(ctx), 'product');
  // The path names the product; a different SKU in the body would rename it (ASSUMED: the simulator refuses that).
  if (input.sku !== undefined && input.sku !== sku) throw invalidField('product.sku', input.sku);
  return save(sim, { ...input, sku });
}

export const readProduct = (ctx: RequestContext, sim: SimCore) => renderProduct(sim, getProduct(sim, skuParam(ctx)));

export function deleteProduct(ctx: RequestContext, sim: SimCore): boolean {
  const product = getProduct(sim, skuParam(ctx));
  delete sim.store.state.products[product.sku];
  for (const si of sim.store.sourceItemsOf(product.sku)) sim.store.deleteSourceItem(si.sku, si.source_code);
  sim.emit('observer.catalog_product_delete_commit_after', product);
  sim.store.changed();
  return true;
}

export function updateStockItem(ctx: RequestContext, sim: SimCore): number {
  const product = getProduct(sim, skuParam(ctx, 'productSku'));
  applyStockItem(sim, product, requiredObject(bodyObject(ctx), 'stockItem'), 'stockItem');
  sim.emit('observer.cataloginventory_stock_item_save_commit_after', { ...stockItemOf(sim, product), sku: product.sku });
  sim.store.changed();
  return product.id;
}

export const readStockItem = (ctx: RequestContext, sim: SimCore) => stockItemOf(sim, getProduct(sim, skuParam(ctx, 'productSku')));

/** Product rows for searching: custom attributes are attributes like any other in EAV, so they are searchable. */
export function productSearchRows(sim: SimCore): Rec[] {
  return Object.values(sim.store.state.products).map((p) => {
    const row: Rec = { ...p };
    for (const a of (p.custom_attributes ?? []) as Rec[]) if (!(a.attribute_code in row)) row[a.attribute_code] = a.value;
    return row;
  });
}
