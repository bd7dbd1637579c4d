/** Heartland ↔ canonical mappers. */
export * from './lookup';
export * from './address';
export * from './customer';
export * from './order';
export * from './shipment';
export * from './product';
export * from './stock';
export * from './refund';
export * from './gift-card';
