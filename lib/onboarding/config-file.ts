/**
 * The `hcc setup --non-interactive --config <file>` document (JSON or YAML): credentials and the
 * choices a person would make at the prompts. Any string may be `$NAME` or `${NAME}` to take the
 * value from the environment, so a CI config needs no secrets in the file. Choices name Heartland
 * things by id or by name ("Main Street", "Check"); setup resolves names against what it discovers.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const text = z.string().min(1, 'must not be empty');
const idOrName = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

export const setupConfigSchema = z
  .object({
    heartland: z
      .object({
        baseUrl: text,
        apiToken: text,
        /** Shared secret in the webhook URLs; generated (and kept in .env) when absent. */
        webhookSecret: text.optional(),
      })
      .strict(),
    commerce: z
      .object({
        baseUrl: text,
        consumerKey: text.optional(),
        consumerSecret: text.optional(),
        accessToken: text.optional(),
        accessTokenSecret: text.optional(),
        imsClientId: text.optional(),
        imsClientSecret: text.optional(),
        imsOrgId: text.optional(),
        imsScopes: text.optional(),
      })
      .strict(),
    runtime: z
      .object({
        /** Runtime namespace and auth (`aio app use` writes them as AIO_RUNTIME_NAMESPACE / AIO_RUNTIME_AUTH). */
        namespace: text.optional(),
        auth: text.optional(),
        /** Local state service (sandbox); production uses aio-lib-state's default endpoint. */
        stateEndpoint: text.optional(),
        /** URL of the deployed heartland-webhook action, without the secret. Default: from the namespace. */
        webhookBaseUrl: text.optional(),
      })
      .strict()
      .default({}),
    choices: z
      .object({
        stationId: idOrName.optional(),
        /** Heartland location web orders are fulfilled from. */
        sourceLocationId: idOrName.optional(),
        /** Heartland location (id or name) → MSI source code. Replaces the proposal for the named locations. */
        locationToSource: z.record(z.string(), text).optional(),
        /** Magento payment method code (or `*`) → Heartland payment type (id or name). */
        paymentMethodMap: z.record(z.string(), idOrName).optional(),
        /** Magento `carrier_method` code (or `*`) → Heartland shipping method (id or name). */
        shippingMethodMap: z.record(z.string(), idOrName).optional(),
        /** Heartland payment type answered from Magento gift card accounts; `null` turns gift cards off. */
        giftCardPaymentType: idOrName.nullable().optional(),
        /** Accept proposals for everything not chosen above (default true). */
        acceptProposals: z.boolean().default(true),
      })
      .strict()
      .default({ acceptProposals: true }),
    /** Also register webhooks through the simulators' `/__sim/` controls (local sandbox only). */
    sandbox: z.boolean().default(false),
    /** Where to write the connection settings (default `.env` in the working directory). */
    envFile: text.optional(),
    /** Skip the dry run of one order and one SKU. */
    skipDryRun: z.boolean().default(false),
  })
  .strict();

export type SetupConfig = z.output<typeof setupConfigSchema>;

export class SetupConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${message}`);
    this.name = 'SetupConfigError';
  }
}

/** Replaces `$NAME` / `${NAME}` strings with environment values; a missing variable is an error naming it. */
function resolveEnvReferences(value: unknown, env: Record<string, string | undefined>, path: string[], file: string): unknown {
  if (typeof value === 'string') {
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value);
    if (!m) return value;
    const name = (m[1] ?? m[2])!;
    const resolved = env[name];
    if (resolved === undefined || resolved === '') throw new SetupConfigError(file, path.join('.'), `refers to $${name}, which is not set in the environment`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvReferences(v, env, [...path, String(i)], file));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnvReferences(v, env, [...path, k], file)]));
  }
  return value;
}

export function parseSetupConfig(raw: unknown, file: string, env: Record<string, string | undefined> = process.env): SetupConfig {
  const resolved = resolveEnvReferences(raw, env, [], file);
  const result = setupConfigSchema.safeParse(resolved);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new SetupConfigError(file, issue.path.map(String).join('.'), issue.message);
}

export async function readSetupConfig(file: string, env: Record<string, string | undefined> = process.env): Promise<SetupConfig> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SetupConfigError(file, '', code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(content) : parseYaml(content);
  } catch (error) {
    throw new SetupConfigError(file, '', `is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseSetupConfig(raw, file, env);
}

/** The connection part of a config as the environment variable names the actions read. */
export function connectionVariables(config: SetupConfig): Record<string, string> {
  const out: Record<string, string> = {
    HEARTLAND_BASE_URL: config.heartland.baseUrl,
    HEARTLAND_API_TOKEN: config.heartland.apiToken,
    COMMERCE_BASE_URL: config.commerce.baseUrl,
  };
  if (config.heartland.webhookSecret) out.HEARTLAND_WEBHOOK_SECRET = config.heartland.webhookSecret;
  const c = config.commerce;
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) out[name] = value;
  };
  set('COMMERCE_CONSUMER_KEY', c.consumerKey);
  set('COMMERCE_CONSUMER_SECRET', c.consumerSecret);
  set('COMMERCE_ACCESS_TOKEN', c.accessToken);
  set('COMMERCE_ACCESS_TOKEN_SECRET', c.accessTokenSecret);
  set('COMMERCE_IMS_CLIENT_ID', c.imsClientId);
  set('COMMERCE_IMS_CLIENT_SECRET', c.imsClientSecret);
  set('COMMERCE_IMS_ORG_ID', c.imsOrgId);
  set('COMMERCE_IMS_SCOPES', c.imsScopes);
  return out;
}
