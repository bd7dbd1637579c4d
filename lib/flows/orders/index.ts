/**
 * Order to cash (issue 7): web orders and their payments to Heartland, status both ways, shipments
 * back to Magento, refunds both ways, and the "Resend to Heartland" mass action.
 */
import { defineArea } from '../area';
import { ORDER_FEEDS } from './feeds';
import { orderFlow } from './order-flow';
import { heartlandOrderStatusFlow, orderStatusFlow } from './order-status-flows';
import { paymentFlow } from './payment-flow';
import { heartlandReturnFlow, refundFlow } from './refund-flows';
import { shipmentFlow } from './shipment-flow';
import { orderUnitsForCommerceEvent, orderUnitsForHeartlandNotification } from './signals';
import { recentOrdersCompactionFeed } from './recent-orders-feed';

export const ordersArea = defineArea({
  name: 'orders',
  flows: [orderFlow, orderStatusFlow, heartlandOrderStatusFlow, shipmentFlow, paymentFlow, refundFlow, heartlandReturnFlow],
  feeds: [...ORDER_FEEDS, recentOrdersCompactionFeed],
  unitsForCommerceEvent: orderUnitsForCommerceEvent,
  unitsForHeartlandNotification: (notification) => orderUnitsForHeartlandNotification(notification),
});

export { resendOrders, RESEND_LIMIT, RESEND_INLINE } from './resend';
export type { ResendResult } from './resend';
export { orderFlow, ORDER_FLOW, ORDER_LINE_LINK } from './order-flow';
export { orderStatusFlow, heartlandOrderStatusFlow, ORDER_STATUS_FLOW, HEARTLAND_ORDER_STATUS_FLOW } from './order-status-flows';
export { shipmentFlow, SHIPMENT_FLOW } from './shipment-flow';
export { paymentFlow, PAYMENT_FLOW } from './payment-flow';
export { refundFlow, heartlandReturnFlow, REFUND_FLOW, HEARTLAND_RETURN_FLOW } from './refund-flows';
export { layerSettings, ordersContext } from './context';
export { releaseHeldOrder, fraudHold, fraudDecisionKey } from './fraud-hold';
export type { ReleaseResult, FraudDecision } from './fraud-hold';
export { readRecentOrders, rememberRecentOrder, compactRecentOrders } from './recent-orders';
export type { RecentOrder } from './recent-orders';
