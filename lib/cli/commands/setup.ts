/**
 * `hcc setup`: from Heartland and Commerce credentials to a configured connector, re-runnable.
 * Interactive on a terminal (node:readline/promises: built into Node 20, no dependency for a few
 * questions; secrets are typed without echo), or `--non-interactive --config FILE` for CI. The
 * work itself is lib/onboarding `runSetup`; this file only asks, prints and sets the exit code.
 */
import { Writable } from 'node:stream';
import { createInterface, type Interface } from 'node:readline/promises';
import type { Command } from 'commander';
import { commerceAuthKind } from '../../config/settings';
import {
  connectionVariables,
  createProgress,
  formatTable,
  parseSetupConfig,
  readSetupConfig,
  runSetup,
  SetupConfigError,
  type ChosenMaps,
  type CommerceDiscovery,
  type HeartlandDiscovery,
  type MapProposal,
  type SetupPrompter,
  type SetupConfig,
  type SetupReport,
} from '../../onboarding';
import { formatSetupReport } from './onboarding-output';

interface SetupFlags {
  nonInteractive?: boolean;
  config?: string;
  dotenv: string;
  json?: boolean;
  timeout: string;
  sandbox?: boolean;
  webhookBase?: string;
}

/** A terminal conversation; `secret` questions are not echoed. */
class Terminal {
  private muted = false;
  readonly rl: Interface;
  constructor() {
    const output = new Writable({
      write: (chunk, _encoding, done) => {
        if (!this.muted) process.stdout.write(chunk);
        done();
      },
    });
    this.rl = createInterface({ input: process.stdin, output, terminal: true });
  }
  async ask(question: string, options: { secret?: boolean; default?: string } = {}): Promise<string> {
    const hint = options.default !== undefined && !options.secret ? ` [${options.default}]` : options.default !== undefined ? ' [keep current]' : '';
    process.stdout.write(`${question}${hint}: `);
    this.muted = Boolean(options.secret);
    try {
      const answer = (await this.rl.question('')).trim();
      return answer === '' && options.default !== undefined ? options.default : answer;
    } finally {
      if (this.muted) process.stdout.write('\n');
      this.muted = false;
    }
  }
  async yes(question: string, fallback = true): Promise<boolean> {
    const answer = (await this.ask(`${question} ${fallback ? '[Y/n]' : '[y/N]'}`)).toLowerCase();
    return answer === '' ? fallback : answer.startsWith('y');
  }
  close() {
    this.rl.close();
  }
}

const CREDENTIAL_QUESTIONS: { name: string; question: string; secret?: boolean }[] = [
  { name: 'HEARTLAND_BASE_URL', question: 'Heartland API root (https://<account>.retail.heartland.us/api)' },
  { name: 'HEARTLAND_API_TOKEN', question: 'Heartland API token (My Account → API Tokens)', secret: true },
  { name: 'COMMERCE_BASE_URL', question: 'Commerce REST root (https://shop.example.com/rest, or the SaaS tenant URL)' },
];
const INTEGRATION_QUESTIONS: { name: string; question: string; secret?: boolean }[] = [
  { name: 'COMMERCE_CONSUMER_KEY', question: 'Commerce integration consumer key' },
  { name: 'COMMERCE_CONSUMER_SECRET', question: 'Commerce integration consumer secret', secret: true },
  { name: 'COMMERCE_ACCESS_TOKEN', question: 'Commerce integration access token', secret: true },
  { name: 'COMMERCE_ACCESS_TOKEN_SECRET', question: 'Commerce integration access token secret', secret: true },
];

async function askCredentials(term: Terminal, env: Record<string, string | undefined>): Promise<Record<string, string | undefined>> {
  const inputs = { ...env };
  process.stdout.write('Credentials (Enter keeps the value already in .env or the environment):\n');
  for (const q of CREDENTIAL_QUESTIONS) inputs[q.name] = await term.ask(q.question, { secret: q.secret, default: inputs[q.name] });
  if (commerceAuthKind(inputs) !== 'ims') {
    for (const q of INTEGRATION_QUESTIONS) inputs[q.name] = await term.ask(q.question, { secret: q.secret, default: inputs[q.name] });
  }
  return inputs;
}

function nameOf(list: { id: string; name: string }[], id: string | undefined | null): string {
  if (!id) return '-';
  const found = list.find((x) => x.id === id);
  return found ? `${found.name} (${id})` : id;
}

/** Shows each proposed map as a table; the person accepts it or edits entries one by one. */
function terminalPrompter(term: Terminal): SetupPrompter {
  return {
    async reviewMaps(proposal: MapProposal, found: { heartland: HeartlandDiscovery; commerce: CommerceDiscovery }): Promise<ChosenMaps> {
      const { heartland, commerce } = found;
      const locations = heartland.locations;
      const stations = locations.flatMap((l) => l.stations);
      const chosen: ChosenMaps = {
        stationId: proposal.stationId?.value,
        sourceLocationId: proposal.sourceLocationId?.value,
        locationToSource: proposal.locationToSource.map((p) => p.value),
        paymentMethodMap: proposal.paymentMethodMap.map((p) => p.value),
        shippingMethodMap: proposal.shippingMethodMap.map((p) => p.value),
        giftCardPaymentTypeId: proposal.giftCardPaymentTypeId?.value,
      };
      const pick = async (question: string, options: { id: string; name: string }[], current: string | undefined) => {
        for (;;) {
          const answer = await term.ask(`${question} (id or name, "-" for none)`, { default: current ?? '-' });
          if (answer === '-') return undefined;
          const hit = options.find((o) => o.id === answer) ?? options.find((o) => o.name.toLowerCase() === answer.toLowerCase());
          if (hit) return hit.id;
          process.stdout.write(`  not found; one of: ${options.map((o) => `${o.name} (${o.id})`).join(', ')}\n`);
        }
      };

      process.stdout.write(`\nWeb orders: fulfilled from ${nameOf(locations, chosen.sourceLocationId)}, rung up on station ${nameOf(stations, chosen.stationId)}\n`);
      if (!(await term.yes('Accept?'))) {
        chosen.sourceLocationId = await pick('Fulfilment location', locations, chosen.sourceLocationId);
        chosen.stationId = await pick('Station', stations, chosen.stationId);
      }

      process.stdout.write(`\nHeartland location → Magento MSI source:\n${formatTable(['location', 'source', 'why'], locations.map((l) => {
        const p = proposal.locationToSource.find((x) => x.value.locationId === l.id);
        return [`${l.name} (${l.id})`, p?.value.sourceCode ?? '(not mapped)', p ? `${p.reason}, score ${p.score}` : ''];
      }))}`);
      if (!(await term.yes('Accept?'))) {
        const sources = commerce.sources.map((s) => ({ id: s.code, name: s.name }));
        chosen.locationToSource = [];
        for (const l of locations) {
          const current = proposal.locationToSource.find((x) => x.value.locationId === l.id)?.value.sourceCode;
          const code = await pick(`MSI source for ${l.name}`, sources, current);
          if (code) chosen.locationToSource.push({ locationId: l.id, sourceCode: code });
        }
      }

      const editMethods = async <K extends 'paymentTypeId' | 'heartlandShippingMethodId'>(
        title: string,
        entries: ({ magentoCode: string } & Record<K, string>)[],
        key: K,
        targets: { id: string; name: string }[],
      ): Promise<({ magentoCode: string } & Record<K, string>)[]> => {
        process.stdout.write(`\n${title}:\n${formatTable(['Magento code', 'Heartland'], entries.map((e) => [e.magentoCode, nameOf(targets, e[key])]))}`);
        if (await term.yes('Accept?')) return entries;
        const out: ({ magentoCode: string } & Record<K, string>)[] = [];
        for (const e of entries) {
          const id = await pick(`Heartland for ${e.magentoCode}`, targets, e[key]);
          if (id) out.push({ ...e, [key]: id });
        }
        for (;;) {
          const extra = await term.ask('Another Magento code to map (Enter when done)', { default: '' });
          if (!extra) break;
          const id = await pick(`Heartland for ${extra}`, targets, undefined);
          if (id) out.push({ magentoCode: extra, [key]: id } as { magentoCode: string } & Record<K, string>);
        }
        return out;
      };
      chosen.paymentMethodMap = await editMethods('Magento payment method → Heartland payment type ("*" = any other)', chosen.paymentMethodMap, 'paymentTypeId', heartland.paymentTypes);
      chosen.shippingMethodMap = await editMethods('Magento shipping method → Heartland shipping method ("*" = any other)', chosen.shippingMethodMap, 'heartlandShippingMethodId', heartland.shippingMethods);

      process.stdout.write(`\nGift cards: answered from Magento gift card accounts for payment type ${nameOf(heartland.paymentTypes, chosen.giftCardPaymentTypeId)}\n`);
      if (!(await term.yes('Accept?'))) chosen.giftCardPaymentTypeId = (await pick('Gift card payment type', heartland.paymentTypes, chosen.giftCardPaymentTypeId ?? undefined)) ?? null;
      return chosen;
    },
  };
}

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('first-time setup, re-runnable: check credentials, discover, map locations/payments/shipping, write .env and settings, subscribe events, dry run')
    .option('--non-interactive', 'ask nothing: credentials and choices from --config (or the environment)')
    .option('--config <file>', 'JSON or YAML with credentials and choices (see docs/INSTALL.md)')
    // Not --env-file: Node 20 takes that flag for itself even after the script name.
    .option('--dotenv <file>', 'where to write the connection settings', '.env')
    .option('--json', 'print the report as JSON (non-interactive only)')
    .option('--webhook-base <url>', 'URL of the heartland-webhook action without the secret (default: from AIO_RUNTIME_NAMESPACE)')
    .option('--sandbox', "also register webhooks through the simulators' /__sim/ controls (local sandbox only)")
    .option('--timeout <ms>', 'per-request timeout in ms', '15000')
    .action(async (flags: SetupFlags) => {
      const timeoutMs = Number(flags.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        process.stderr.write('hcc setup: --timeout must be a positive number of milliseconds\n');
        process.exitCode = 1;
        return;
      }
      const interactive = !flags.nonInteractive && !flags.config;
      let config: SetupConfig | undefined;
      if (interactive && flags.json) {
        process.stderr.write('hcc setup: --json prints a report for machines; use it with --non-interactive (and --config FILE)\n');
        process.exitCode = 1;
        return;
      }
      if (interactive && !process.stdin.isTTY) {
        process.stderr.write('hcc setup: stdin is not a terminal; use --non-interactive --config FILE (see docs/INSTALL.md)\n');
        process.exitCode = 1;
        return;
      }
      let inputs: Record<string, string | undefined> = { ...process.env };
      if (flags.config) {
        try {
          config = await readSetupConfig(flags.config);
        } catch (error) {
          if (!(error instanceof SetupConfigError)) throw error;
          process.stderr.write(`hcc setup: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        inputs = { ...inputs, ...connectionVariables(config) };
        if (config.runtime.namespace) inputs.AIO_RUNTIME_NAMESPACE = config.runtime.namespace;
        if (config.runtime.auth) inputs.AIO_RUNTIME_AUTH = config.runtime.auth;
        if (config.runtime.stateEndpoint) inputs.AIO_STATE_ENDPOINT = config.runtime.stateEndpoint;
      }
      // Flags stand in for the config file's `sandbox` and `runtime.webhookBaseUrl`; the file wins.
      if (!config && (flags.sandbox || flags.webhookBase)) {
        config = parseSetupConfig({ heartland: { baseUrl: '-', apiToken: '-' }, commerce: { baseUrl: '-' }, sandbox: Boolean(flags.sandbox), runtime: flags.webhookBase ? { webhookBaseUrl: flags.webhookBase } : {} }, 'flags');
      } else if (config) {
        config = {
          ...config,
          sandbox: config.sandbox || Boolean(flags.sandbox),
          runtime: { ...config.runtime, webhookBaseUrl: config.runtime.webhookBaseUrl ?? flags.webhookBase },
        };
      }
      const term = interactive ? new Terminal() : undefined;
      let report: SetupReport;
      try {
        if (term) inputs = await askCredentials(term, inputs);
        const progress = createProgress({ write: (t) => (flags.json ? process.stderr.write(t) : process.stdout.write(t)), tty: Boolean(process.stdout.isTTY) && !flags.json });
        report = await runSetup({
          inputs,
          config,
          envFile: config?.envFile ?? flags.dotenv,
          progress,
          prompter: term ? terminalPrompter(term) : undefined,
          timeoutMs,
        });
      } finally {
        term?.close();
      }
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok: report.ok, changed: report.changed, findings: report.findings, steps: report.steps, plans: report.plans, leftToDo: report.leftToDo }, null, 2)}\n`);
      else process.stdout.write(formatSetupReport(report));
      if (!report.ok) process.exitCode = 1;
    });
}
