/**
 * The most recent real record of an entity in its source system, for the mapping preview and the
 * suggestions when the merchant pastes no sample. One small read (the newest record only).
 */
import { z } from 'zod';
import type { MappingDirection } from './contract';
import type { EntityName } from '../mapping/document';
import { searchCriteria } from '../commerce/search-criteria';
import type { AdminContext } from './context';
import { commerceClientFor, heartlandClientFor } from '../connector/clients';

const NEWEST = { sort: [{ field: 'id', desc: true }], page: 1, perPage: 1 };

export async function latestSample(entity: EntityName, direction: MappingDirection, ctx: AdminContext): Promise<unknown | undefined> {
  const { connection } = ctx.connector;
  const newest = () => searchCriteria().sortBy('entity_id', 'DESC').page(1, 1);
  if (direction === 'commerce-to-heartland') {
    const commerce = commerceClientFor(connection, ctx.interactiveTuning, ctx.logger);
    switch (entity) {
      case 'order': return (await commerce.orders.search(newest())).items[0];
      case 'customer': return (await commerce.customers.search(searchCriteria().sortBy('updated_at', 'DESC').page(1, 1))).items[0];
      case 'refund': return (await commerce.creditMemos.search(newest())).items[0];
      case 'giftcard': return (await commerce.giftCards.search(searchCriteria().sortBy('giftcardaccount_id', 'DESC').page(1, 1))).items[0];
      default: return undefined;
    }
  }
  const heartland = heartlandClientFor(connection, ctx.interactiveTuning, ctx.logger);
  const first = async (path: string, extra: Record<string, unknown> = {}) => (await heartland.page(path, z.unknown(), { ...NEWEST, ...extra })).results[0];
  switch (entity) {
    case 'customer': return first('customers');
    case 'product': return first('items');
    // Stock levels map a page of inventory values (one level per item and location).
    case 'stock': return (await heartland.page('inventory/values', z.unknown(), { page: 1, perPage: 20 })).results;
    case 'shipment': return first('sales/invoices');
    case 'refund': return first('sales/tickets', { filter: { type: 'Return' } });
    case 'giftcard': return first('gift_cards');
    default: return undefined;
  }
}
