/**
 * The connection checks `hcc setup` and `hcc doctor` share: settings complete and valid, then
 * Heartland and Commerce each checked against their real API. Changes nothing.
 */
import { readConnectionSettings, type ConnectionSettings } from '../config/settings';
import { checkCommerce, type CommerceCheck, type CommerceProbeOptions } from './commerce';
import { checkHeartland, type HeartlandCheck } from './heartland';
import type { Finding } from './findings';
import type { Progress } from './progress';

export interface ConnectionChecks {
  findings: Finding[];
  settings?: ConnectionSettings;
  heartland?: HeartlandCheck;
  commerce?: CommerceCheck;
}

const SETTING_FIX: Record<string, string> = {
  HEARTLAND_BASE_URL: 'your account API root, e.g. https://acme.retail.heartland.us/api',
  HEARTLAND_API_TOKEN: 'Heartland → My Account → API Tokens → Generate new token',
  HEARTLAND_WEBHOOK_SECRET: 'a long random string (`hcc setup` generates one)',
  COMMERCE_BASE_URL: 'the REST root, e.g. https://shop.example.com/rest',
};

export function settingsFindings(inputs: Record<string, string | undefined>): { findings: Finding[]; settings?: ConnectionSettings } {
  const reading = readConnectionSettings(inputs);
  if (reading.ok) return { findings: [{ system: 'connector', check: 'settings', level: 'ok', kind: 'ok', message: `Connection settings are complete (Commerce auth: ${reading.commerceAuth}).` }], settings: reading.settings };
  const findings: Finding[] = [
    ...reading.missing.map((name): Finding => ({
      system: 'connector', check: 'settings', level: 'error', kind: 'not_configured',
      message: `${name} is not set.`,
      missing: name,
      fix: `Set ${name} in .env or the environment${SETTING_FIX[name] ? ` (${SETTING_FIX[name]})` : name.startsWith('COMMERCE_') ? ' (System → Extensions → Integrations in the Commerce admin)' : ''}, or run \`hcc setup\`.`,
    })),
    ...reading.invalid.map((p): Finding => ({ system: 'connector', check: 'settings', level: 'error', kind: 'not_configured', message: `${p.message}.`, missing: p.name, fix: `Correct ${p.name} in .env or the environment.` })),
  ];
  return { findings };
}

export async function runConnectionChecks(
  inputs: Record<string, string | undefined>,
  options: CommerceProbeOptions & { progress?: Progress; giftCards?: boolean } = {},
): Promise<ConnectionChecks> {
  const { findings, settings } = settingsFindings(inputs);
  if (!settings) return { findings };
  const step = <T>(label: string, work: () => Promise<T>, detail?: (r: T) => string | { text: string; ok: boolean }) => (options.progress ? options.progress.step(label, work, detail) : work());
  const verdict = (c: HeartlandCheck | CommerceCheck) => {
    const errors = c.findings.filter((f) => f.level === 'error').length;
    return errors ? { text: `${errors} problem${errors === 1 ? '' : 's'}`, ok: false } : { text: 'ok', ok: true };
  };
  const heartland = await step('Checking Heartland (reachability, token, permissions)', () => checkHeartland({ baseUrl: settings.heartland.baseUrl, apiToken: settings.heartland.apiToken }, { ...options }), verdict);
  const commerce = await step('Checking Commerce (reachability, credentials, ACL, modules)', () => checkCommerce(settings.commerce, options), verdict);
  return { findings: [...findings, ...heartland.findings, ...commerce.findings], settings, heartland, commerce };
}
