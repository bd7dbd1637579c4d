/**
 * Default value maps: data, not code, so a merchant can override any entry in the panel or a
 * mapping file. Names are stable: flows and the panel refer to them.
 */
import type { ValueMap } from '../document';

export const VALUE_MAP_NAMES = {
  orderStatusFromCommerce: 'order.status.commerceToCanonical',
  orderStatusToHeartland: 'order.status.canonicalToHeartland',
  orderStatusFromHeartland: 'order.status.heartlandToCanonical',
  orderStatusToCommerce: 'order.status.canonicalToCommerce',
  paymentTypeForMethod: 'payment.method.commerceToHeartland',
  shippingMethodForCarrier: 'shipping.method.commerceToHeartland',
  sourceForLocation: 'location.heartlandToSource',
  carrierCode: 'shipping.carrier.heartlandToCommerce',
  carrierTitle: 'shipping.carrier.titles',
} as const;

export const DEFAULT_VALUE_MAPS: Record<string, ValueMap> = {
  [VALUE_MAP_NAMES.orderStatusFromCommerce]: {
    description: 'Magento order status code → canonical status. Custom statuses not listed fall back to the order state.',
    entries: {
      pending: 'new', pending_payment: 'new', processing: 'processing', holded: 'on_hold',
      payment_review: 'on_hold', fraud: 'on_hold', suspected_fraud: 'on_hold', complete: 'complete',
      canceled: 'canceled', closed: 'closed',
    },
  },
  [VALUE_MAP_NAMES.orderStatusToHeartland]: {
    // ASSUMED: Heartland's cancel status is unknown (heartland.md §4); "canceled" is the simulator's default.
    description: 'Canonical status → Heartland sales order status.',
    entries: { new: 'pending', processing: 'open', on_hold: 'pending', complete: 'closed', canceled: 'canceled', closed: 'closed' },
  },
  [VALUE_MAP_NAMES.orderStatusFromHeartland]: {
    description: 'Heartland sales order status → canonical status (both cancel spellings seen in the wild).',
    entries: { pending: 'new', open: 'processing', closed: 'complete', complete: 'complete', canceled: 'canceled', cancelled: 'canceled', void: 'canceled' },
  },
  [VALUE_MAP_NAMES.orderStatusToCommerce]: {
    description: 'Canonical status → Magento status code written with the order comment.',
    entries: { new: 'pending', processing: 'processing', on_hold: 'holded', complete: 'complete', canceled: 'canceled', closed: 'closed' },
  },
  [VALUE_MAP_NAMES.paymentTypeForMethod]: {
    // Payment type ids are per merchant; names resolve to ids through GET /payment_types?_filter={"name":…}.
    description: 'Magento payment method code → Heartland payment type (id, or name to look up).',
    entries: {
      checkmo: 'Check / Money order', banktransfer: 'Bank Transfer', cashondelivery: 'Cash On Delivery',
      purchaseorder: 'Purchase Order', free: 'No Payment Required', paypal_express: 'PayPal',
      braintree: 'Credit Card (Braintree)', braintree_paypal: 'PayPal', companycredit: 'Company Credit',
      giftcard: 'Gift Card',
    },
    default: 'Web',
  },
  [VALUE_MAP_NAMES.shippingMethodForCarrier]: {
    description: 'Magento shipping method code → Heartland shipping method (id, or name to look up). Unmapped methods send no shipping method.',
    entries: {
      flatrate_flatrate: 'Flat Rate', tablerate_bestway: 'Best Way', freeshipping_freeshipping: 'Free Shipping',
      instore_pickup: 'Store Pickup',
    },
  },
  [VALUE_MAP_NAMES.sourceForLocation]: {
    description: 'Heartland location id → MSI source code. Several locations may feed one source.',
    entries: {},
    default: 'default',
  },
  [VALUE_MAP_NAMES.carrierCode]: {
    description: 'Carrier named on the Heartland invoice (lower case) → Magento carrier code.',
    entries: {
      ups: 'ups', 'united parcel service': 'ups', usps: 'usps', 'us postal service': 'usps',
      'united states postal service': 'usps', fedex: 'fedex', 'federal express': 'fedex', dhl: 'dhl',
    },
    default: 'custom',
  },
  [VALUE_MAP_NAMES.carrierTitle]: {
    description: 'Magento carrier code → title shown to the customer.',
    entries: { ups: 'United Parcel Service', usps: 'United States Postal Service', fedex: 'Federal Express', dhl: 'DHL' },
  },
};
