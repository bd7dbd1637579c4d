/**
 * The customers area: Magento ↔ Heartland customers both ways, with matching, duplicate reports,
 * echo suppression and per-group conflict rules (issue 9). Registered in lib/connector/areas.ts.
 */
import { CommerceEventName } from '../../commerce/events';
import { defineArea } from '../area';
import { commerceCustomersFeed, heartlandCustomersFeed } from './feeds';
import { customerToCommerce, CUSTOMER_TO_COMMERCE } from './to-commerce';
import { customerToHeartland, CUSTOMER_TO_HEARTLAND } from './to-heartland';

export { customerToHeartland, CUSTOMER_TO_HEARTLAND, CUSTOMER_ENTITY } from './to-heartland';
export { customerToCommerce, CUSTOMER_TO_COMMERCE } from './to-commerce';
export { listCustomerDuplicates, type DuplicateReport } from './duplicates';
export { listCustomerConflicts, type ConflictRecord } from './conflicts';
export { COMMERCE_CUSTOMERS_FEED, HEARTLAND_CUSTOMERS_FEED } from './feeds';

/** Heartland notification events that mean "this customer may have changed" (ASSUMED names, heartland.md §3.9). */
const HEARTLAND_CUSTOMER_EVENTS = new Set(['customer.created', 'customer.updated']);

export const customersArea = defineArea({
  name: 'customers',
  flows: [customerToHeartland, customerToCommerce],
  feeds: [commerceCustomersFeed, heartlandCustomersFeed],
  unitsForCommerceEvent(event) {
    if (event.kind !== 'customer' || event.name === CommerceEventName.customerDeleted) return [];
    const id = event.value.entity_id ?? event.value.id;
    if (id === undefined || id === null) return [];
    return [{ flow: CUSTOMER_TO_HEARTLAND, key: String(id), version: event.value.updated_at ?? undefined, trigger: 'event', eventId: event.event.id }];
  },
  unitsForHeartlandNotification(notification) {
    if (!HEARTLAND_CUSTOMER_EVENTS.has(notification.event)) return [];
    return [{ flow: CUSTOMER_TO_COMMERCE, key: String(notification.resource_id), trigger: 'event', eventId: `${notification.event}:${notification.resource_id}:${notification.occurred_at}` }];
  },
});
