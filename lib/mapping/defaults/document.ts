/** The mapping the connector runs with before a merchant changes anything. */
import { MAPPING_SCHEMA_VERSION, type MappingDocument, MappingDocument as MappingDocumentSchema } from '../document';
import { DEFAULT_VALUE_MAPS } from './value-maps';

export const DEFAULT_OPTIONS = {
  abbreviateStreets: false,
  trackingNumberField: 'tracking_number',
  shippingCarrierField: 'shipping_carrier',
  sourceSystemTag: 'magento',
  ecommerceNumberField: 'ecommerce_number',
  customerIdField: 'magento_customer_id',
  // ASSUMED: stores that omit the currency from event payloads sell in USD; override per store.
  defaultCurrency: 'USD',
} as const;

export type EffectiveOptions = { -readonly [K in keyof typeof DEFAULT_OPTIONS]: (typeof DEFAULT_OPTIONS)[K] extends boolean ? boolean : string };

const defaults: MappingDocument = MappingDocumentSchema.parse({
  schemaVersion: MAPPING_SCHEMA_VERSION,
  description: 'Connector defaults',
  options: DEFAULT_OPTIONS,
  valueMaps: DEFAULT_VALUE_MAPS,
  entities: {
    order: {
      toHeartland: {
        rules: [],
        filter: {
          description: 'only paid orders go to Heartland',
          field: 'status',
          op: 'in',
          value: ['processing', 'complete'],
        },
      },
    },
    product: {
      fromHeartland: {
        rules: [
          { id: 'product.color', kind: 'copy', target: 'attributes.color', source: 'custom.color' },
          { id: 'product.size', kind: 'copy', target: 'attributes.size', source: 'custom.size' },
        ],
      },
    },
  },
});

/** A fresh copy of the default document (callers may mutate what they get). */
export function defaultMappingDocument(): MappingDocument {
  return structuredClone(defaults);
}
