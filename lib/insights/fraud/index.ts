/** Fraud signals on web orders before they are sent to Heartland. */
export { scoreOrder, fraudHistoryFor, pastOrderOf, addressKey, DEFAULT_FRAUD_SETTINGS, type FraudHistory, type FraudReason, type FraudSettings, type FraudSignal, type FraudVerdict, type PastOrder } from './score-order';
