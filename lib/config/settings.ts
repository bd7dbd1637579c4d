/**
 * Connection settings: where Heartland and Commerce are and how to authenticate. They reach an
 * action as inputs (`$ENV` in app.config.yaml) named like the environment variables in
 * `.env.example`. This module validates them and reports which are missing or invalid, by name
 * only: a secret's value is never returned, logged or echoed in an error.
 */
import { z } from 'zod';
import { WebhookSecretSettingError, readWebhookSecrets } from '../security/webhook-secret';

export const SETTING_NAMES = [
  'HEARTLAND_BASE_URL',
  'HEARTLAND_API_TOKEN',
  'HEARTLAND_WEBHOOK_SECRET',
  'HEARTLAND_WEBHOOK_SECRET_PREVIOUS',
  'HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES',
  'COMMERCE_BASE_URL',
  'COMMERCE_CONSUMER_KEY',
  'COMMERCE_CONSUMER_SECRET',
  'COMMERCE_ACCESS_TOKEN',
  'COMMERCE_ACCESS_TOKEN_SECRET',
  'COMMERCE_IMS_CLIENT_ID',
  'COMMERCE_IMS_CLIENT_SECRET',
  'COMMERCE_IMS_ORG_ID',
  'COMMERCE_IMS_SCOPES',
  'COMMERCE_EVENT_TYPES',
  'ADOBE_IO_EVENTS_CLIENT_ID',
  'ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL',
  'WEBHOOK_RATE_LIMIT_PER_MINUTE',
  'HEARTLAND_RATE_PER_SECOND',
  'LOG_LEVEL',
] as const;

export type SettingName = (typeof SETTING_NAMES)[number];

/** Names whose values must never leave the action. */
export const SECRET_SETTING_NAMES: ReadonlySet<SettingName> = new Set<SettingName>([
  'HEARTLAND_API_TOKEN',
  'HEARTLAND_WEBHOOK_SECRET',
  'HEARTLAND_WEBHOOK_SECRET_PREVIOUS',
  'COMMERCE_CONSUMER_SECRET',
  'COMMERCE_ACCESS_TOKEN',
  'COMMERCE_ACCESS_TOKEN_SECRET',
  'COMMERCE_IMS_CLIENT_SECRET',
]);

/** Scopes Commerce SaaS requires for server-to-server IMS tokens (commerce.md §1.4). */
export const DEFAULT_COMMERCE_IMS_SCOPES = 'AdobeID,openid,email,profile,additional_info.roles,additional_info.projectedProductContext,commerce.accs';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Requests per second the Heartland client sends at most when `HEARTLAND_RATE_PER_SECOND` is not
 * set. Heartland publishes no limit (heartland.md §2.6); 5/s is the documented recommendation
 * ([I]). A merchant whose tenant allows more raises the input; 100 is the ceiling we accept so a
 * typo cannot turn the connector into a load test against the merchant's POS.
 */
export const DEFAULT_HEARTLAND_RATE_PER_SECOND = 5;
export const MAX_HEARTLAND_RATE_PER_SECOND = 100;

const ratePerSecond = z.coerce
  .number({ error: 'must be a number of requests per second' })
  .refine((value) => Number.isFinite(value) && value > 0, 'must be a number of requests per second above 0')
  .refine((value) => value <= MAX_HEARTLAND_RATE_PER_SECOND, `must be at most ${MAX_HEARTLAND_RATE_PER_SECOND}`);

/** The Heartland request ceiling the inputs ask for (the default when unset or invalid: an invalid value is reported by readConnectionSettings). */
export function heartlandRateFromInputs(inputs: Record<string, string | undefined>): number {
  const raw = inputs.HEARTLAND_RATE_PER_SECOND;
  if (raw === undefined || raw.trim() === '') return DEFAULT_HEARTLAND_RATE_PER_SECOND;
  const parsed = ratePerSecond.safeParse(raw.trim());
  return parsed.success ? parsed.data : DEFAULT_HEARTLAND_RATE_PER_SECOND;
}

const httpUrl = z
  .string()
  .url('must be an absolute http(s) URL')
  .refine((value) => /^https?:\/\//i.test(value), 'must start with http:// or https://')
  // One trailing slash or none is the same base; clients append paths themselves.
  .transform((value) => value.replace(/\/+$/, ''));

const secret = z.string().min(1, 'must not be empty');

export type CommerceAuth =
  /** PaaS integration: OAuth 1.0a signature with all four integration values (commerce.md §1.2). */
  | { kind: 'oauth1'; consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string }
  /** PaaS integration token used as a standalone bearer token (needs the Commerce option enabled). */
  | { kind: 'bearer'; accessToken: string }
  /** SaaS: IMS server-to-server client credentials (commerce.md §1.4). */
  | { kind: 'ims'; clientId: string; clientSecret: string; orgId: string; scopes: string[] };

export interface ConnectionSettings {
  /** `ratePerSecond`: the client's request ceiling (`HEARTLAND_RATE_PER_SECOND`, default 5). */
  heartland: { baseUrl: string; apiToken: string; webhookSecret: string; ratePerSecond: number };
  /** `baseUrl` is the REST root before `/V1`: `https://shop.example/rest` (PaaS) or the SaaS tenant URL. */
  commerce: { baseUrl: string; auth: CommerceAuth };
  logLevel: (typeof LOG_LEVELS)[number];
}

export interface SettingProblem {
  name: SettingName;
  message: string;
}

export type SettingsReading =
  | { ok: true; settings: ConnectionSettings; commerceAuth: CommerceAuth['kind'] }
  | { ok: false; missing: SettingName[]; invalid: SettingProblem[]; commerceAuth: CommerceAuth['kind'] | 'none' };

type Inputs = Record<string, string | undefined>;

function present(inputs: Inputs, name: SettingName): string | undefined {
  const value = inputs[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Which way the connector talks to Commerce, decided by which values are set: IMS when an IMS
 * client id is given (SaaS), OAuth 1.0a when a consumer key is given, otherwise a bearer token.
 */
export function commerceAuthKind(inputs: Inputs): CommerceAuth['kind'] | 'none' {
  if (present(inputs, 'COMMERCE_IMS_CLIENT_ID')) return 'ims';
  if (present(inputs, 'COMMERCE_CONSUMER_KEY')) return 'oauth1';
  if (present(inputs, 'COMMERCE_ACCESS_TOKEN')) return 'bearer';
  return 'none';
}

const REQUIRED_BY_AUTH: Record<CommerceAuth['kind'] | 'none', SettingName[]> = {
  ims: ['COMMERCE_IMS_CLIENT_ID', 'COMMERCE_IMS_CLIENT_SECRET', 'COMMERCE_IMS_ORG_ID'],
  oauth1: ['COMMERCE_CONSUMER_KEY', 'COMMERCE_CONSUMER_SECRET', 'COMMERCE_ACCESS_TOKEN', 'COMMERCE_ACCESS_TOKEN_SECRET'],
  bearer: ['COMMERCE_ACCESS_TOKEN'],
  // Nothing set at all: name the PaaS integration values, the most common setup.
  none: ['COMMERCE_CONSUMER_KEY', 'COMMERCE_CONSUMER_SECRET', 'COMMERCE_ACCESS_TOKEN', 'COMMERCE_ACCESS_TOKEN_SECRET'],
};

const ALWAYS_REQUIRED: SettingName[] = ['HEARTLAND_BASE_URL', 'HEARTLAND_API_TOKEN', 'HEARTLAND_WEBHOOK_SECRET', 'COMMERCE_BASE_URL'];

/** Reads and validates the connection settings from action inputs (or `process.env`). */
export function readConnectionSettings(inputs: Inputs): SettingsReading {
  const authKind = commerceAuthKind(inputs);
  const required = [...ALWAYS_REQUIRED, ...REQUIRED_BY_AUTH[authKind]];
  const missing = required.filter((name) => present(inputs, name) === undefined);
  const invalid: SettingProblem[] = [];

  const check = <T>(name: SettingName, schema: z.ZodType<T>): T | undefined => {
    const value = present(inputs, name);
    if (value === undefined) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    // The message describes the rule, never the value (it may be a secret pasted in the wrong field).
    invalid.push({ name, message: `${name} ${result.error.issues[0]?.message ?? 'is invalid'}` });
    return undefined;
  };

  const heartlandBaseUrl = check('HEARTLAND_BASE_URL', httpUrl);
  const commerceBaseUrl = check('COMMERCE_BASE_URL', httpUrl);
  const heartlandRate = check('HEARTLAND_RATE_PER_SECOND', ratePerSecond);
  const logLevelText = present(inputs, 'LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelText) ? (logLevelText as ConnectionSettings['logLevel']) : undefined;
  if (logLevel === undefined) invalid.push({ name: 'LOG_LEVEL', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` });
  for (const name of required) if (SECRET_SETTING_NAMES.has(name)) check(name, secret);
  try {
    readWebhookSecrets(inputs);
  } catch (error) {
    // A previous webhook secret needs an expiry: accepting it forever would defeat the rotation.
    if (!(error instanceof WebhookSecretSettingError)) throw error;
    invalid.push({ name: error.input as SettingName, message: error.message });
  }

  if (missing.length > 0 || invalid.length > 0 || !heartlandBaseUrl || !commerceBaseUrl || !logLevel) {
    return { ok: false, missing, invalid, commerceAuth: authKind };
  }
  const value = (name: SettingName) => present(inputs, name) as string;
  let auth: CommerceAuth;
  if (authKind === 'ims') {
    const scopes = (present(inputs, 'COMMERCE_IMS_SCOPES') ?? DEFAULT_COMMERCE_IMS_SCOPES)
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean);
    auth = { kind: 'ims', clientId: value('COMMERCE_IMS_CLIENT_ID'), clientSecret: value('COMMERCE_IMS_CLIENT_SECRET'), orgId: value('COMMERCE_IMS_ORG_ID'), scopes };
  } else if (authKind === 'oauth1') {
    auth = {
      kind: 'oauth1',
      consumerKey: value('COMMERCE_CONSUMER_KEY'),
      consumerSecret: value('COMMERCE_CONSUMER_SECRET'),
      accessToken: value('COMMERCE_ACCESS_TOKEN'),
      accessTokenSecret: value('COMMERCE_ACCESS_TOKEN_SECRET'),
    };
  } else {
    auth = { kind: 'bearer', accessToken: value('COMMERCE_ACCESS_TOKEN') };
  }
  return {
    ok: true,
    commerceAuth: auth.kind,
    settings: {
      heartland: {
        baseUrl: heartlandBaseUrl,
        apiToken: value('HEARTLAND_API_TOKEN'),
        webhookSecret: value('HEARTLAND_WEBHOOK_SECRET'),
        ratePerSecond: heartlandRate ?? DEFAULT_HEARTLAND_RATE_PER_SECOND,
      },
      commerce: { baseUrl: commerceBaseUrl, auth },
      logLevel,
    },
  };
}

export interface SettingsStatus {
  configured: boolean;
  commerceAuth: CommerceAuth['kind'] | 'none';
  missing: SettingName[];
  invalid: SettingProblem[];
  /** Every known setting and whether it has a value; values themselves are never included. */
  present: Record<SettingName, boolean>;
}

/** What the panel and `hcc doctor` show: which settings are set, missing or invalid, by name. */
export function settingsStatus(inputs: Inputs): SettingsStatus {
  const reading = readConnectionSettings(inputs);
  const presentMap = Object.fromEntries(SETTING_NAMES.map((name) => [name, present(inputs, name) !== undefined])) as Record<SettingName, boolean>;
  return {
    configured: reading.ok,
    commerceAuth: reading.commerceAuth,
    missing: reading.ok ? [] : reading.missing,
    invalid: reading.ok ? [] : reading.invalid,
    present: presentMap,
  };
}
