/**
 * Insights, offline and explainable (issue 12): mapping suggestions, anomaly detection with the
 * wipe guard, fraud signals, alerts and reconciliation. Every result says why.
 */
export * from './suggest';
export * from './anomaly';
export * from './fraud';
export * from './alerts';
export * from './reconcile';
