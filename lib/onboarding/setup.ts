/**
 * `hcc setup` without the terminal: from two sets of credentials to a configured connector.
 * Checks both systems (precise verdicts), discovers what there is to map, proposes the maps and
 * takes the person's or the config file's choices, writes `.env` (connection settings) and the
 * connector's operational settings (state `cfg.settings`), subscribes the Commerce events, registers
 * webhooks where an API exists (sandbox) or lists them as manual steps, dry-runs one order and one
 * SKU, and says what is left to do in Adobe Developer Console. Every write first compares with what
 * is there, so a re-run with the same answers changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { loadConnectorSettings, mergeSettings, parseConnectorSettings, SETTINGS_KEY, type ConnectorSettings } from '../config/connector-settings';
import { SETTING_NAMES } from '../config/settings';
import type { StateStore } from '../platform/ports';
import { acceptProposal, applyConfigChoices, SetupChoiceError, type ChosenMaps } from './choices';
import { runConnectionChecks } from './checks';
import { commerceRequester, discoverCommerce, type CommerceDiscovery } from './commerce';
import type { SetupConfig } from './config-file';
import { dryRunItem, dryRunRecentOrder, type DryRunPlan } from './dry-run';
import { readEnvFile, updateEnvFile } from './env-file';
import { ensureEventSubscriptions, eventsFor } from './events';
import { hasErrors, type Finding } from './findings';
import { customFieldFindings } from './custom-fields';
import { discoverHeartland, type HeartlandDiscovery } from './heartland';
import { probe } from './probe';
import type { Progress } from './progress';
import { proposeMaps, type MapProposal } from './proposal';
import { missingRuntimeAccess, runtimeAccessFrom, runtimeStateStore } from './runtime-state';
import { defaultWebhookBaseUrl, giftCardWebhookUrls, notificationWebhookUrl, registerSandboxNotifications, registerSandboxPaymentWebhooks } from './webhooks';

export type StepStatus = 'done' | 'changed' | 'unchanged' | 'skipped' | 'failed' | 'manual';

export interface SetupStep {
  step: string;
  status: StepStatus;
  detail: string;
}

export interface SetupReport {
  ok: boolean;
  /** True when this run wrote anything (.env, settings, subscriptions, webhooks). */
  changed: boolean;
  findings: Finding[];
  steps: SetupStep[];
  plans: DryRunPlan[];
  /** Manual steps, in order (Heartland UI, Developer Console, Commerce admin). */
  leftToDo: string[];
  settings?: ConnectorSettings;
  proposal?: MapProposal;
}

export interface SetupPrompter {
  /** Shows the proposal and returns what the person accepted or edited. */
  reviewMaps(proposal: MapProposal, found: { heartland: HeartlandDiscovery; commerce: CommerceDiscovery }): Promise<ChosenMaps>;
}

export interface SetupOptions {
  /** Connection and runtime variables by their environment names (config file, prompts, then environment). */
  inputs: Record<string, string | undefined>;
  /** Choices, sandbox switch and runtime from the config file (non-interactive). */
  config?: Pick<SetupConfig, 'choices' | 'sandbox' | 'runtime' | 'skipDryRun'>;
  envFile: string;
  progress: Progress;
  prompter?: SetupPrompter;
  /** State store for the settings; default: the connector's aio-lib-state store (runtime-state.ts). */
  state?: StateStore;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Connection variables written to `.env`: the settings the actions read, never runtime secrets. */
const ENV_NAMES = SETTING_NAMES.filter((n) => n !== 'LOG_LEVEL');

export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const steps: SetupStep[] = [];
  const leftToDo: string[] = [];
  const plans: DryRunPlan[] = [];
  const { progress } = options;
  const sandbox = options.config?.sandbox ?? false;
  const report = (extra: Partial<SetupReport> & { findings: Finding[] }): SetupReport => {
    const ok = !hasErrors(extra.findings) && !steps.some((s) => s.status === 'failed');
    return { ok, changed: steps.some((s) => s.status === 'changed'), steps, plans, leftToDo, ...extra };
  };

  // The webhook secret is the connector's own: keep the one in .env, else generate one.
  const inputs = { ...options.inputs };
  const existingEnv = await readEnvFile(options.envFile);
  if (!inputs.HEARTLAND_WEBHOOK_SECRET) inputs.HEARTLAND_WEBHOOK_SECRET = existingEnv.HEARTLAND_WEBHOOK_SECRET || randomBytes(24).toString('base64url');

  const checks = await runConnectionChecks(inputs, { progress, timeoutMs: options.timeoutMs, fetch: options.fetch });
  const findings = [...checks.findings];
  if (!checks.settings) steps.push({ step: 'Settings check', status: 'failed', detail: summary(findings) });
  steps.push({ step: 'Heartland check', status: checks.heartland?.usable && !hasErrors(checks.heartland.findings) ? 'done' : checks.heartland ? 'failed' : 'skipped', detail: checks.heartland ? summary(checks.heartland.findings) : 'not checked: settings incomplete' });
  steps.push({ step: 'Commerce check', status: checks.commerce?.usable && !hasErrors(checks.commerce.findings) ? 'done' : checks.commerce ? 'failed' : 'skipped', detail: checks.commerce ? summary(checks.commerce.findings) : 'not checked: settings incomplete' });
  if (!checks.settings || !checks.heartland?.usable || !checks.commerce?.usable || hasErrors(findings)) {
    // Nothing is written while a check fails: fix first, then run setup again.
    return report({ findings });
  }
  const conn = checks.settings;
  const modules = checks.commerce.modules;

  let heartland: HeartlandDiscovery;
  let commerce: CommerceDiscovery;
  try {
    heartland = await progress.step('Discovering Heartland locations, stations, payment types, shipping methods, custom fields', () =>
      discoverHeartland({ baseUrl: conn.heartland.baseUrl, apiToken: conn.heartland.apiToken }, checks.heartland!.readable, { timeoutMs: options.timeoutMs, fetch: options.fetch }),
      (d) => `${d.locations.length} locations, ${d.locations.flatMap((l) => l.stations).length} stations, ${d.paymentTypes.length} payment types, ${d.shippingMethods.length} shipping methods, ${d.customFields.length} custom fields`,
    );
    commerce = await progress.step('Discovering Magento sources, stocks, payment and shipping methods', () => discoverCommerce(conn.commerce, checks.commerce!, { timeoutMs: options.timeoutMs, fetch: options.fetch }), (d) =>
      `${d.sources.length} sources, ${d.stocks.length} stocks, ${d.paymentMethods.length} payment and ${d.shippingMethods.length} shipping methods on ${d.ordersRead} recent orders (ASSUMED: no admin REST list of methods)`,
    );
  } catch (error) {
    // A failure between the checks and the discovery (an outage, a timeout): nothing is written yet.
    findings.push({ system: 'connector', check: 'discovery', level: 'error', kind: 'unexpected_answer', message: `Discovery failed: ${(error as Error).message}.`, fix: 'Run `hcc setup` again; if it persists, run `hcc doctor` for the failing system.' });
    steps.push({ step: 'Discovery', status: 'failed', detail: (error as Error).message });
    return report({ findings });
  }
  steps.push({ step: 'Discovery', status: 'done', detail: `${heartland.locations.length} locations, ${commerce.sources.length} sources` });

  // Settings store.
  const access = runtimeAccessFrom(inputs, options.config?.runtime);
  const missingAccess = missingRuntimeAccess(access);
  if (!options.state && missingAccess.length) {
    findings.push({
      system: 'runtime', check: 'settings store', level: 'error', kind: 'not_configured',
      message: `The connector's settings cannot be saved: ${missingAccess.join(' and ')} ${missingAccess.length > 1 ? 'are' : 'is'} not set.`,
      missing: missingAccess[0],
      fix: 'Run `aio app use` in this folder (it writes AIO_RUNTIME_NAMESPACE and AIO_RUNTIME_AUTH to .env), or give them in the config file under runtime.',
    });
    steps.push({ step: 'Settings', status: 'failed', detail: `${missingAccess.join(', ')} not set` });
    return report({ findings });
  }
  const state = options.state ?? runtimeStateStore(access);
  let storedRaw: Record<string, unknown>;
  let stored: ConnectorSettings;
  try {
    storedRaw = ((await state.get<Record<string, unknown>>(SETTINGS_KEY)) ?? {}) as Record<string, unknown>;
    stored = await loadConnectorSettings(state);
  } catch (error) {
    findings.push({ system: 'runtime', check: 'settings store', level: 'error', kind: 'unreachable', message: `The connector's state store could not be read: ${(error as Error).message}.`, fix: 'Check AIO_RUNTIME_NAMESPACE / AIO_RUNTIME_AUTH (and AIO_STATE_ENDPOINT in the sandbox).' });
    steps.push({ step: 'Settings', status: 'failed', detail: 'state store unreachable' });
    return report({ findings });
  }

  // Maps: proposal, then choices.
  const proposal = proposeMaps(heartland, commerce, stored);
  let chosen: ChosenMaps;
  try {
    chosen = options.prompter
      ? await options.prompter.reviewMaps(proposal, { heartland, commerce })
      : options.config
        ? applyConfigChoices(proposal, options.config.choices, heartland, commerce)
        : acceptProposal(proposal);
  } catch (error) {
    if (!(error instanceof SetupChoiceError)) throw error;
    findings.push({ system: 'connector', check: 'choices', level: 'error', kind: 'not_configured', message: error.message, missing: error.field, fix: `Correct ${error.field} in the config file.` });
    steps.push({ step: 'Maps', status: 'failed', detail: error.message });
    return report({ findings, proposal });
  }
  for (const gap of proposal.gaps) findings.push({ system: 'connector', check: 'maps', level: 'warning', kind: 'unmapped', message: `${gap}.`, fix: 'Choose it in `hcc setup` or on the panel\'s Settings page.' });
  if (!chosen.stationId) findings.push({ system: 'connector', check: 'maps', level: 'error', kind: 'unmapped', message: 'No Heartland station for web orders.', missing: 'stationId', fix: 'Create a station at the fulfilment location in Heartland, then run `hcc setup` again.' });
  if (!chosen.sourceLocationId) findings.push({ system: 'connector', check: 'maps', level: 'error', kind: 'unmapped', message: 'No Heartland location to fulfil web orders from.', missing: 'sourceLocationId', fix: 'Create or activate a location in Heartland, then run `hcc setup` again.' });
  steps.push({ step: 'Maps', status: 'done', detail: `${chosen.locationToSource.length} locations, ${chosen.paymentMethodMap.length} payment and ${chosen.shippingMethodMap.length} shipping methods mapped` });

  // .env
  const envValues = Object.fromEntries(ENV_NAMES.map((n) => [n, inputs[n]]).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  const env = await progress.step(`Writing connection settings to ${options.envFile}`, () => updateEnvFile(options.envFile, envValues), (u) => (u.changed.length ? `${u.changed.join(', ')} written (values not shown)` : 'unchanged'));
  steps.push({ step: '.env', status: env.changed.length ? 'changed' : 'unchanged', detail: env.changed.length ? `${env.changed.length} variables written` : 'unchanged' });

  // Operational settings.
  const giftCardsOn = modules.giftCardAccounts && chosen.giftCardPaymentTypeId !== null && Boolean(chosen.giftCardPaymentTypeId);
  const update: Record<string, unknown> = {
    ...(chosen.stationId ? { stationId: chosen.stationId } : {}),
    ...(chosen.sourceLocationId ? { sourceLocationId: chosen.sourceLocationId } : {}),
    // Sorted, so the same choices always give the same document and a re-run compares equal.
    locationToSource: [...chosen.locationToSource].sort((a, b) => byKey(a.locationId, b.locationId)),
    paymentMethodMap: [...chosen.paymentMethodMap].sort((a, b) => byKey(a.magentoCode, b.magentoCode)),
    shippingMethodMap: [...chosen.shippingMethodMap].sort((a, b) => byKey(a.magentoCode, b.magentoCode)),
    giftCards: { enabled: giftCardsOn, ...(chosen.giftCardPaymentTypeId ? { paymentTypeId: chosen.giftCardPaymentTypeId } : {}) },
  };
  const settings = parseConnectorSettings(mergeSettings(storedRaw, update));
  if (checks.heartland.readable.has('custom_fields')) findings.push(...customFieldFindings(heartland, settings));
  const same = JSON.stringify(settings) === JSON.stringify(stored) && Object.keys(storedRaw).length > 0;
  if (!same) await progress.step('Saving the connector settings (state cfg.settings)', () => state.put(SETTINGS_KEY, settings, { ttlSeconds: 365 * 24 * 3600 }));
  steps.push({ step: 'Settings', status: same ? 'unchanged' : 'changed', detail: same ? 'unchanged' : `station ${settings.stationId ?? '-'}, location ${settings.sourceLocationId ?? '-'}` });

  // Commerce events.
  const request = commerceRequester(conn.commerce, { timeoutMs: options.timeoutMs, fetch: options.fetch });
  if (modules.eventing) {
    try {
      const events = eventsFor(modules);
      const subs = await progress.step('Subscribing the Commerce events (POST /V1/eventing/eventSubscribe)', () => ensureEventSubscriptions(request, events), (r) => `${r.created.length} created, ${r.unchanged.length} already there`);
      steps.push({ step: 'Event subscriptions', status: subs.created.length ? 'changed' : 'unchanged', detail: `${subs.created.length} created, ${subs.unchanged.length} already subscribed` });
    } catch (error) {
      findings.push({ system: 'commerce', check: 'event subscriptions', level: 'error', kind: 'unexpected_answer', message: (error as Error).message, fix: 'Check Stores → Configuration → Adobe Services → Adobe I/O Events is enabled, then run `hcc setup` again.' });
      steps.push({ step: 'Event subscriptions', status: 'failed', detail: (error as Error).message });
    }
  } else {
    steps.push({ step: 'Event subscriptions', status: 'skipped', detail: 'I/O Events module missing (see the findings)' });
  }

  // Webhooks Heartland calls.
  const webhookBase = options.config?.runtime.webhookBaseUrl ?? (access.namespace ? defaultWebhookBaseUrl(access.namespace) : undefined);
  const secret = conn.heartland.webhookSecret;
  if (giftCardsOn && chosen.giftCardPaymentTypeId && webhookBase) {
    const urls = giftCardWebhookUrls(webhookBase, secret);
    if (sandbox) {
      try {
        const r = await progress.step('Registering the gift card payment webhooks with the Heartland simulator', () => registerSandboxPaymentWebhooks(conn.heartland.baseUrl, chosen.giftCardPaymentTypeId!, urls), (x) => x);
        steps.push({ step: 'Gift card webhooks', status: r === 'created' ? 'changed' : 'unchanged', detail: `payment type ${chosen.giftCardPaymentTypeId}` });
      } catch (error) {
        steps.push({ step: 'Gift card webhooks', status: 'failed', detail: (error as Error).message });
      }
    } else {
      const name = heartland.paymentTypes.find((p) => p.id === chosen.giftCardPaymentTypeId)?.name ?? chosen.giftCardPaymentTypeId;
      leftToDo.push(
        `Heartland → Settings → Payment types → "${name}" → Process payments: "With custom webhooks", and enter (the URLs contain HEARTLAND_WEBHOOK_SECRET; see .env):\n` +
          `    Capture:       ${redactSecret(urls.capture, secret)}\n    Refund:        ${redactSecret(urls.refund, secret)}\n    Void:          ${redactSecret(urls.void, secret)}\n    Check Balance: ${redactSecret(urls.check_balance, secret)}`,
      );
      steps.push({ step: 'Gift card webhooks', status: 'manual', detail: 'no Heartland API for payment type webhooks: see "left to do"' });
    }
  } else {
    steps.push({ step: 'Gift card webhooks', status: 'skipped', detail: !modules.giftCardAccounts ? 'no gift card accounts in this edition' : !webhookBase ? 'no webhook URL (set runtime.webhookBaseUrl or AIO_RUNTIME_NAMESPACE)' : 'gift cards off' });
  }
  if (sandbox && webhookBase) {
    try {
      const r = await registerSandboxNotifications(conn.heartland.baseUrl, notificationWebhookUrl(webhookBase, secret), secret);
      steps.push({ step: 'Heartland notifications', status: r === 'created' ? 'changed' : 'unchanged', detail: 'simulator notifications (ASSUMED format)' });
    } catch (error) {
      steps.push({ step: 'Heartland notifications', status: 'failed', detail: (error as Error).message });
    }
  }

  // Dry run.
  if (!options.config?.skipDryRun) {
    await progress.step('Dry run: one recent order and one SKU (nothing is sent)', async () => {
      plans.push(dryRunRecentOrder(commerce.recentOrders, settings));
      const item = await probe({ url: `${conn.heartland.baseUrl.replace(/\/+$/, '')}/items?per_page=1&sort[]=id`, headers: { authorization: `Bearer ${conn.heartland.apiToken}` }, timeoutMs: options.timeoutMs, fetch: options.fetch });
      const first = item.kind === 'answer' && item.status < 400 ? ((item.body as { results?: Record<string, unknown>[] }).results ?? [])[0] : undefined;
      plans.push(dryRunItem(first, settings));
    }, () => plans.map((p) => `${p.entity} ${p.subject}: ${p.status}`).join('; '));
    const invalid = plans.filter((p) => p.status === 'invalid');
    for (const p of invalid) findings.push({ system: 'connector', check: 'dry run', level: 'warning', kind: 'data_quality', message: `The ${p.entity} ${p.subject} would not map: ${p.message}.`, fix: `Try \`hcc map ${p.entity} --from ${p.entity === 'order' ? 'commerce --to heartland' : 'heartland --to commerce'}\` on it and adjust the mapping on the panel's Mappings page.` });
    steps.push({ step: 'Dry run', status: invalid.length ? 'failed' : 'done', detail: plans.map((p) => `${p.entity} ${p.subject}: ${p.status === 'planned' ? `${p.requests.length} requests` : p.status}`).join('; ') });
  }

  // What only a person can do.
  if (!sandbox) leftToDo.push(...developerConsoleSteps(modules));
  return report({ findings, settings, proposal });
}

/** `*` (the fallback) last, numbers numerically, the rest alphabetically. */
function byKey(a: string, b: string): number {
  if (a === '*' || b === '*') return a === b ? 0 : a === '*' ? 1 : -1;
  return a.localeCompare(b, 'en', { numeric: true });
}

function summary(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.level === 'error');
  if (errors.length) return errors.map((f) => f.missing ?? f.check).join(', ');
  const warnings = findings.filter((f) => f.level === 'warning');
  return warnings.length ? `ok (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : 'ok';
}

function redactSecret(url: string, secret: string): string {
  return url.replace(encodeURIComponent(secret), '<HEARTLAND_WEBHOOK_SECRET>');
}

/** Manual steps in Adobe Developer Console and the Commerce admin (appbuilder.md §6, commerce.md §2.13, §5.1). */
export function developerConsoleSteps(modules: { eventing: boolean }): string[] {
  const out = [
    'Adobe Developer Console: open (or create) the App Builder project and workspace, add the "I/O Management API" (needed by `aio app deploy` to create the I/O Events registration), then run `aio app use` in this folder.',
  ];
  if (modules.eventing) {
    out.push(
      'Commerce admin → Stores → Configuration → Adobe Services → Adobe I/O Events → General configuration: paste the workspace configuration (Developer Console → workspace → Download all), set the Adobe Commerce instance ID (merchant and environment id) and enable the events; Commerce then registers its event provider in your org.',
    );
  }
  out.push(
    '`aio app deploy`: deploys the actions and creates the I/O Events registration "Commerce events for the Heartland connector" (app.config.yaml) that delivers the subscribed events to connector/commerce-events.',
    'Commerce admin → Stores → Configuration → Adobe Services → Admin UI SDK → Enable Admin UI SDK = Yes, then "Refresh registrations": the Heartland Connector page appears under Heartland Retail in the admin menu.',
  );
  return out;
}
