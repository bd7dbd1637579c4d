export { createConnector, unitsForCommerceEvent, unitsForHeartlandNotification, answerHeartlandWebhook } from './connector';
export type { Connector, ConnectorOptions } from './connector';
export { clientFactories, heartlandClientFor, commerceClientFor, commerceStoreRoot } from './clients';
export type { ClientTuning } from './clients';
export { AREAS } from './areas';
