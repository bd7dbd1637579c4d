/** The canonical model: what every flow maps into and out of. */
export * from './money';
export * from './field-issues';
export * from './map-result';
export * from './address';
export * from './address-standards';
export * from './regions';
export * from './payment';
export * from './order';
export * from './customer';
export * from './product';
export * from './stock-level';
export * from './shipment';
export * from './refund';
export * from './gift-card';
export * from './planned-request';
