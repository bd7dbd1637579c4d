/** Canonical product → Magento simple product (commerce.md §2.8). Heartland is master of items. */
import type { PlannedRequest } from '../../model/planned-request';
import type { Product } from '../../model/product';
import type { ProductInput } from '../payloads';

export interface ProductToMagentoOptions {
  /** Default attribute set 4 ("Default"). */
  attributeSetId?: number;
  /** 4 = catalog and search. */
  visibility?: number;
  websiteIds?: number[];
  /** Magento-owned fields never written on update (e.g. `name`, `description`), per settings. */
  magentoOwnedFields?: string[];
  /** True when the product does not exist in Magento yet (create sends type and attribute set). */
  create?: boolean;
}

/**
 * The `{"product": …}` body. A sale price (Heartland price below `original_price`) becomes Magento
 * `price` = regular price and `special_price` = selling price, so the storefront shows the markdown.
 */
export function productToMagento(product: Product, options: ProductToMagentoOptions = {}): { product: ProductInput } {
  const owned = new Set(options.magentoOwnedFields ?? []);
  const onSale = product.compareAtPrice !== null && product.compareAtPrice > product.price;
  const customAttributes: Array<{ attribute_code: string; value: unknown }> = [];
  const addAttribute = (code: string, value: unknown) => {
    if (!owned.has(code) && value !== undefined && value !== null) customAttributes.push({ attribute_code: code, value });
  };
  addAttribute('description', product.description);
  // An empty special price clears a markdown that has ended.
  addAttribute('special_price', onSale ? product.price : '');
  if (product.cost !== null) addAttribute('cost', product.cost);
  for (const [code, value] of Object.entries(product.attributes)) addAttribute(code, value);

  const body: ProductInput = {
    sku: product.sku,
    price: onSale ? product.compareAtPrice! : product.price,
    status: product.active ? 1 : 2,
    custom_attributes: customAttributes,
  };
  if (!owned.has('name')) body.name = product.name;
  if (product.weight !== null && !owned.has('weight')) body.weight = product.weight;
  if (options.create) {
    body.type_id = 'simple';
    body.attribute_set_id = options.attributeSetId ?? 4;
    body.visibility = options.visibility ?? 4;
    if (options.websiteIds?.length) body.extension_attributes = { website_ids: options.websiteIds };
  }
  return { product: body };
}

/** Create (`POST /V1/products`) or update (`PUT /V1/products/{sku}`); never delete (DESIGN.md §4). */
export function productToMagentoRequest(product: Product, options: ProductToMagentoOptions = {}): PlannedRequest {
  const body = productToMagento(product, options);
  return options.create
    ? { method: 'POST', path: '/V1/products', body }
    : { method: 'PUT', path: `/V1/products/${encodeURIComponent(product.sku)}`, body };
}
