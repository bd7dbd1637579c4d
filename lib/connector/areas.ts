/**
 * Every flow area the connector runs. An area module adds its one line here; nothing else in the
 * composition root changes when a capability is added.
 */
import type { FlowArea } from '../flows/area';
import { customersArea } from '../flows/customers';
import { giftCardsArea } from '../flows/gift-cards';
import { inventoryArea } from '../flows/inventory';
import { productsArea } from '../flows/products';
import { ordersArea } from '../flows/orders';
import { channelInsightsArea } from '../flows/channel-insights';
import { createInsightsArea } from '../flows/insights';

export const AREAS: FlowArea[] = [customersArea, inventoryArea, productsArea, ordersArea, giftCardsArea, createInsightsArea(() => AREAS), channelInsightsArea];
