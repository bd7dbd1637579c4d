/** Alerts to a webhook (Slack-compatible `text`) and/or an HTTP mail endpoint, de-duplicated per kind and subject. */
export { createAlerter, alertPayload, ALERT_KINDS, type Alerter, type AlerterOptions, type AlertInput, type AlertKind, type AlertPayload, type AlertResult, type AlertSeverity } from './alerter';
export { dlqGrowthAlert, unusualSilenceAlert, eventsRegistrationAlert, type DlqGrowthInput, type SilenceInput, type EventsRegistrationInput } from './conditions';
