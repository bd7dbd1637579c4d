/** Heartland item → canonical product (heartland.md §3.3, §5.1): SKU = `public_id`, attributes from custom fields by mapping rules. */
import { type FieldIssue, zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { money } from '../../model/money';
import { Product as CanonicalProduct } from '../../model/product';
import { Item } from '../payloads';

export function productFromHeartlandItem(input: unknown): MapResult<CanonicalProduct> {
  const parsed = parseInput(Item, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const item = parsed.value;
  const issues: FieldIssue[] = [];
  if (!item.public_id?.trim()) issues.push({ path: 'public_id', message: 'required (it is the Magento SKU)' });
  if (!item.description?.trim()) issues.push({ path: 'description', message: 'required (it is the product name)' });
  if (item.price == null) issues.push({ path: 'price', message: 'required' });
  if (issues.length) return mapFailed(issues);
  const result = CanonicalProduct.safeParse(
    {
      sku: item.public_id!.trim(),
      name: item.description!.trim(),
      description: item.long_description ?? null,
      price: money(item.price!),
      compareAtPrice: item.original_price != null ? money(item.original_price) : null,
      cost: item.cost != null ? money(item.cost) : null,
      weight: item.weight ?? null,
      active: item.active ?? true,
      attributes: {},
      sourceId: String(item.id),
      groupId: item.grid_id != null ? String(item.grid_id) : null,
      updatedAt: item.updated_at ?? null,
    },
    { reportInput: true },
  );
  return result.success ? mapped(result.data) : mapFailed(zodIssues(result.error));
}
