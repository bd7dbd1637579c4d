/** Onboarding: the checks, discovery, proposals and writes behind `hcc setup` and `hcc doctor`. */
export { runSetup, developerConsoleSteps, type SetupOptions, type SetupReport, type SetupStep, type SetupPrompter, type StepStatus } from './setup';
export { runDoctor, type DoctorOptions } from './doctor';
export { runConnectionChecks, settingsFindings, type ConnectionChecks } from './checks';
export { checkHeartland, discoverHeartland, HEARTLAND_PERMISSIONS, type HeartlandDiscovery, type HeartlandCheck } from './heartland';
export { checkCommerce, discoverCommerce, commerceRequester, COMMERCE_PROBES, MODULE_NAMES, type CommerceDiscovery, type CommerceCheck, type CommerceModule } from './commerce';
export { proposeMaps, nameSimilarity, type MapProposal, type Proposed } from './proposal';
export { applyConfigChoices, acceptProposal, SetupChoiceError, type ChosenMaps } from './choices';
export { readSetupConfig, parseSetupConfig, connectionVariables, SetupConfigError, type SetupConfig } from './config-file';
export { updateEnvFile, readEnvFile } from './env-file';
export { CONNECTOR_COMMERCE_EVENTS, ensureEventSubscriptions, listEventSubscriptions, eventsFor } from './events';
export { giftCardWebhookUrls, notificationWebhookUrl, defaultWebhookBaseUrl } from './webhooks';
export { dryRunOrder, dryRunRecentOrder, dryRunItem, documentWithSettings, type DryRunPlan } from './dry-run';
export { createProgress, formatTable, type Progress } from './progress';
export { hasErrors, type Finding, type FindingKind, type FindingLevel } from './findings';
export { customFieldFindings } from './custom-fields';
