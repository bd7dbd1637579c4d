/** Magento ↔ canonical mappers. */
export * from './lookup';
export * from './magento-input';
export * from './address';
export * from './order-status';
export * from './order';
export * from './customer';
export * from './product';
export * from './source-items';
export * from './shipment';
export * from './refund';
export * from './gift-card';
