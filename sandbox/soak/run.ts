/**
 * The fault-injection soak (issue 6): drive the whole system with a seeded workload while both
 * simulators fail ~20% of requests, Commerce events arrive duplicated and out of order, and the
 * host is SIGKILLed and restarted twice; then let it settle and check every entity on both sides.
 *
 * Layout: the state service and both simulators run in this process (they outlive a Runtime
 * container, like Adobe's state service and the real systems do); the host runs in a child
 * process (host-child.ts) that can be killed. Dead letters are listed, the deliberately invalid
 * inputs are fixed in the source data and replayed through the pipeline in this process, the way
 * `hcc dlq replay` does, against the same state and files.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { startStateService } from '../state/server';
import { startHeartlandSimulator } from '../heartland/server';
import { startCommerceSimulator } from '../commerce/server';
import { seedDemo, type DemoSeed, type DemoTarget } from '../demo/seed';
import { seededRandom, type Random } from '../demo/random';
import { commerceApi, heartlandAll, heartlandApi, type SimApi } from '../demo/sim-http';
import { createWorkload, emptyLedger, type Workload, type WorkloadLedger } from '../demo/workload';
import { createAioStateStore } from '../../lib/platform/state';
import { loadConnectorSettings } from '../../lib/config/connector-settings';
import type { StateStore } from '../../lib/platform/ports';
import { AREAS } from '../../lib/connector/areas';
import { freePort, startHostProcess, type HostProcess } from './host-process';
import { clearFaults, injectFaults } from './faults';
import { coverageOf, registeredFlows, type Coverage } from './coverage';
import { checkCustomers, checkOrders, checkShipments, checkStock, heartlandWebOrders, type Problem } from './checks';
import { fixAndReplay, listDeadLetterSummaries, classifyDeadLetters } from './dead-letters';
import type { SoakProfile } from './profile';

export interface SoakSummary {
  profile: SoakProfile['name'];
  flows: string[];
  checked: string[];
  notChecked: string[];
  workload: {
    invoicesNotMade: number;
    orders: number;
    badOrders: number;
    invalidEmails: number;
    stockChanges: number;
    invoices: number;
    customerEdits: number;
    posTickets: number;
    adjustmentSets: number;
  };
  faults: { heartlandInjected: number; commerceApplied: number; duplicateRate: number; reorderRate: number };
  host: { kills: number; restarts: number; clockAdvancedMs: number };
  settle: { schedulerPasses: number; pendingRetries: number; pendingDeliveries: number };
  deadLetteredBeforeReplay: number;
  replayed: { done: number; deferred: number; failed: number };
  notes: string[];
  problems: Problem[];
  orders: number;
  lost: number;
  duplicates: number;
  stockMismatches: number;
  stockChecked: number;
  shipmentMismatches: number;
  customerMismatches: number;
  deadLettered: number;
  deadLetteredExpected: number;
  unexpectedDeadLetters: number;
  durationS: number;
  ok: boolean;
}

export interface SoakOptions {
  dataDir: string;
  log?: (line: string) => void;
}

const NAMESPACE = 'hcc-soak';
const RUNTIME_AUTH = 'soak-runtime:soak-runtime-key';
const WEBHOOK_SECRET = 'soak-webhook-secret';
const HEARTLAND_TOKEN = 'sandbox-heartland-token';
const COMMERCE_TOKEN = 'sandbox-commerce-token';

/** The retry schedule's steps (lib/sync/retry-schedule.ts) plus a margin: each jump makes the next retries due. */
const CLOCK_STEPS_MS = [2, 7, 23, 85, 330, 1060, 2500].map((m) => m * 60_000);

function shuffle<T>(list: T[], random: Random): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

async function countKeys(state: StateStore, match: string): Promise<number> {
  const seen = new Set<string>();
  for await (const key of state.list(match)) seen.add(key);
  return seen.size;
}

async function pendingDeliveryRecords(commerce: SimApi): Promise<Array<{ position: number; attempts: number; lastStatus?: number }>> {
  const deliveries = await commerce.control<Array<{ status: string; position: number; attempts: number; lastStatus?: number }>>('GET', 'events/deliveries?since=0');
  return (Array.isArray(deliveries) ? deliveries : []).filter((d) => d.status === 'pending');
}

async function pendingDeliveries(commerce: SimApi): Promise<number> {
  return (await pendingDeliveryRecords(commerce)).length;
}

/** The scheduler action's own limit (app.config.yaml `limits.timeout`), plus a margin. */
const SCHEDULER_PASS_MAX_MS = 330_000;

function schedulerSummary(result: any): { retriesRan: number; feedUnits: number; reason?: string } {
  const summary = result?.body?.summary ?? result?.summary ?? result?.response?.result?.body?.summary;
  return {
    retriesRan: summary?.retries?.ran ?? 0,
    feedUnits: (summary?.feeds ?? []).reduce((s: number, f: { units?: number }) => s + (f.units ?? 0), 0),
    reason: summary?.reason,
  };
}

/**
 * One scheduler pass, to its end. A blocking invoke answers 202 with the activation id when the
 * pass outlives Runtime's 60 s blocking wait (a big backlog does); the pass goes on in the host,
 * so the soak follows the activation record until it ends. Reading a 202 as "nothing to do" would
 * move the clock on under a running pass, expire its leases and start a second pass beside it.
 */
async function invokeScheduler(host: HostProcess): Promise<{ ok: boolean; retriesRan: number; feedUnits: number; reason?: string }> {
  const started = Date.now();
  try {
    const response = await fetch(host.schedulerUrl.replace('blocking=true', 'blocking=true&result=true'), {
      method: 'POST',
      headers: { authorization: host.authorization, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await response.json().catch(() => ({}))) as any;
    if (response.status !== 202 || typeof body?.activationId !== 'string') return { ok: response.ok, ...schedulerSummary(body) };
    const recordUrl = host.schedulerUrl.replace(/\/actions\/.*$/, `/activations/${body.activationId}/result`);
    while (Date.now() - started < SCHEDULER_PASS_MAX_MS) {
      await new Promise((r) => setTimeout(r, 2_000));
      // The host was killed meanwhile: the pass died with it (its lease expires on its own).
      if (!host.running()) return { ok: false, retriesRan: 0, feedUnits: 0, reason: 'the host died during the pass' };
      const record = await fetch(recordUrl, { headers: { authorization: host.authorization }, signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
      if (record?.status !== 200) continue;
      const outcome = (await record.json().catch(() => ({}))) as { success?: boolean; result?: unknown };
      return { ok: outcome.success === true, ...schedulerSummary(outcome.result) };
    }
    return { ok: false, retriesRan: 0, feedUnits: 0, reason: `the pass did not end within ${SCHEDULER_PASS_MAX_MS / 1000} s` };
  } catch (error) {
    return { ok: false, retriesRan: 0, feedUnits: 0, reason: (error as Error).message };
  }
}

/**
 * Lets everything in flight land: Commerce deliveries finish, then the scheduler runs due retries
 * and polls feeds while the host's clock steps through the retry schedule.
 */
async function settle(input: { host: HostProcess; commerce: SimApi; state: StateStore; deadline: number; log: (l: string) => void; skipNow?: boolean }): Promise<SoakSummary['settle']> {
  const { host, commerce, state, log } = input;
  let passes = 0;
  let stepPasses: string[] = [];
  const pass = async () => {
    passes++;
    const t = Date.now();
    const result = await invokeScheduler(host);
    stepPasses.push(`${Math.round((Date.now() - t) / 100) / 10}s/${result.retriesRan}r/${result.feedUnits}u${result.reason ? `/${result.reason.slice(0, 40)}` : ''}`);
    return result;
  };
  // Deliveries still in flight (slow activations, redeliveries after the kills) land first; the
  // scheduler keeps polling meanwhile, as the minute alarm would.
  // Capped: a delivery the host keeps answering 5xx would otherwise hold the whole settle; the clock
  // steps below keep the scheduler going and the data checks tell whether anything was lost.
  let lastLog = 0;
  const deliveriesUntil = Math.min(input.deadline, Date.now() + 20_000);
  for (;;) {
    const pending = await pendingDeliveryRecords(commerce);
    if (pending.length === 0 || Date.now() >= deliveriesUntil) break;
    if (Date.now() - lastLog > 10_000) {
      log(`[soak] settle: ${pending.length} Commerce event deliveries in flight (${pending.slice(0, 3).map((d) => `#${d.position} attempts ${d.attempts}, last status ${d.lastStatus ?? 'none'}`).join('; ')})`);
      lastLog = Date.now();
    }
    await pass();
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const baseOffset = host.clockOffsetMs();
  for (const step of input.skipNow ? CLOCK_STEPS_MS : [0, ...CLOCK_STEPS_MS]) {
    if (Date.now() >= input.deadline) break;
    await host.setClockOffset(baseOffset + step);
    // Passes at this time until one finds nothing to do (feeds may page several times).
    for (let i = 0; i < 4 && Date.now() < input.deadline; i++) {
      const result = await pass();
      if (result.ok && result.retriesRan === 0 && result.feedUnits === 0 && !result.reason) break;
      // A pass killed with the host holds lease.scheduler until it expires: move the clock on.
      if (result.reason?.includes('lease')) break;
    }
    const retries = await countKeys(state, 'retry.*');
    log(`[soak] settle: clock +${Math.round(host.clockOffsetMs() / 60_000)} min, ${retries} retries pending; scheduler passes ${stepPasses.join(' ')}`);
    stepPasses = [];
    if (retries === 0 && step > 0 && (await pendingDeliveries(commerce)) === 0) break;
  }
  // A big backlog (the default workload) can outlast the steps: keep the scheduler going until a
  // pass finds nothing to do and no retry is left, or time is up.
  // Feeds re-read their high-water mark each pass, so "nothing to do" is a unit count that stopped falling.
  let previousUnits = Number.POSITIVE_INFINITY;
  for (;;) {
    if (Date.now() >= input.deadline) break;
    const retries = await countKeys(state, 'retry.*');
    const result = await pass();
    const quiet = result.ok && result.retriesRan === 0 && result.feedUnits >= previousUnits;
    previousUnits = result.feedUnits;
    if (retries === 0 && quiet && (await pendingDeliveries(commerce)) === 0) break;
    if (result.reason?.includes('lease')) await host.setClockOffset(host.clockOffsetMs() + 5 * 60_000);
  }
  return { schedulerPasses: passes, pendingRetries: await countKeys(state, 'retry.*'), pendingDeliveries: await pendingDeliveries(commerce) };
}

async function killAndRestart(host: HostProcess, log: (l: string) => void, when: string): Promise<void> {
  await host.kill();
  log(`[soak] host killed (SIGKILL) ${when}`);
  // Long enough for deliveries and webhooks to fail against the dead host and be retried later.
  await new Promise((r) => setTimeout(r, 1_500));
  await host.start();
  log('[soak] host restarted');
}

/**
 * Phase A: web orders, bad orders, stock changes and customer edits, shuffled, several at a time;
 * the first host kill lands half-way while actions and deliveries are in flight.
 * Phase B: Heartland invoices for web orders that reached Heartland (they arrive as the connector
 * catches up, so the phase keeps offering invoices and nudges the scheduler); the second kill
 * lands half-way through it. Faults stay on throughout.
 */
async function driveWorkload(input: {
  workload: Workload;
  profile: SoakProfile;
  random: Random;
  coverage: Coverage;
  host: HostProcess;
  log: (l: string) => void;
  /** Orders in Heartland now (read through the workload's fault-retrying client). */
  countHeartlandOrders: () => Promise<number>;
}): Promise<{ invoicesOwed: number }> {
  const { workload, profile, random, host, log } = input;
  const ledger = workload.ledger;
  type Task = 'order' | 'bad' | 'stock' | 'customer' | 'badEmail';
  const stockTasks = Math.ceil(profile.stockChanges / 2);
  const invalidEmails = input.coverage.customerToHeartland ? profile.invalidEmails : 0;
  const tasks: Task[] = shuffle(
    [
      ...Array(profile.orders).fill('order'),
      ...Array(profile.badOrders).fill('bad'),
      ...Array(stockTasks).fill('stock'),
      ...Array(profile.customerEdits).fill('customer'),
      ...Array(invalidEmails).fill('badEmail'),
    ],
    random,
  );
  const kills = Math.min(profile.hostKills, 2);
  const killAt = kills > 0 ? Math.floor(tasks.length / 2) : -1;
  const limit = pLimit(profile.concurrency);
  // Backpressure (profile.maxOrderBacklog): before each action, wait while too many valid web
  // orders are placed but not yet in Heartland. One count request at a time, at most every 2 s.
  let heartlandOrders = 0;
  let counted = 0;
  let counting: Promise<void> | undefined;
  const backlog = () => ledger.webOrders.filter((o) => !o.invalid).length - heartlandOrders;
  const recount = () =>
    (counting ??= input
      .countHeartlandOrders()
      .then((n) => void (heartlandOrders = n))
      .catch(() => undefined)
      .finally(() => {
        counted = Date.now();
        counting = undefined;
      }));
  let waitedMs = 0;
  const paced = async () => {
    const t = Date.now();
    while (backlog() >= profile.maxOrderBacklog) {
      if (Date.now() - counted >= 2_000) await recount();
      if (backlog() >= profile.maxOrderBacklog) await new Promise((r) => setTimeout(r, 500));
    }
    waitedMs += Date.now() - t;
  };
  let lastProgress = Date.now();
  let done = 0;
  let badIndex = 0;
  const restarts: Promise<void>[] = [];
  const run = async (task: Task) => {
    switch (task) {
      case 'order':
        await workload.placeWebOrder();
        break;
      case 'bad':
        await workload.placeWebOrder({ unknownSku: `DISCONTINUED-${profile.seed}-${++badIndex}` });
        break;
      case 'stock':
        if (ledger.stockChanges < profile.stockChanges) await (random.chance(0.5) ? workload.posSale() : workload.adjustStock());
        break;
      case 'customer':
        await workload.editCommerceCustomer();
        break;
      case 'badEmail':
        await workload.registerCustomerWithMistypedEmail();
        break;
    }
  };
  await Promise.all(
    tasks.map((task, index) =>
      limit(async () => {
        await paced();
        await run(task);
        done++;
        if (Date.now() - lastProgress >= 30_000) {
          lastProgress = Date.now();
          log(`[soak] workload: ${done}/${tasks.length} actions, ${ledger.webOrders.length} web orders placed, ${heartlandOrders} in Heartland at the last count`);
        }
        if (index === killAt) restarts.push(killAndRestart(host, log, `after ${done}/${tasks.length} workload actions`));
      }),
    ),
  );
  await Promise.all(restarts);
  // Stock changes still owed because a POS sale found nothing on hand.
  while (ledger.stockChanges < profile.stockChanges) await workload.adjustStock({ lines: 5 });
  log(`[soak] phase A done: ${ledger.webOrders.length} web orders, ${ledger.stockChanges} stock changes, ${ledger.customerEdits.length} customer edits; waited ${Math.round(waitedMs / 1000 / profile.concurrency)} s for the connector to catch up`);

  let owed = input.coverage.order ? profile.invoices : 0;
  let killed = kills < 2;
  let schedulerPass: Promise<unknown> | undefined;
  const until = Date.now() + profile.invoiceWaitMs;
  while (owed > 0 && Date.now() < until) {
    if (await workload.invoiceWebOrder()) {
      owed--;
      if (!killed && owed <= profile.invoices / 2) {
        killed = true;
        await killAndRestart(host, log, `after ${profile.invoices - owed}/${profile.invoices} invoices`);
      }
    } else {
      // Web orders are still on their way to Heartland: keep one scheduler pass going (it can take
      // most of a minute under the rate limit) and look again shortly.
      schedulerPass ??= invokeScheduler(host).finally(() => (schedulerPass = undefined));
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  await schedulerPass;
  if (!killed) await killAndRestart(host, log, 'after the invoices');
  if (owed > 0) log(`[soak] ${owed} invoices not made: no open web order in Heartland to invoice within ${Math.round(profile.invoiceWaitMs / 1000)} s`);
  return { invoicesOwed: owed };
}

export async function runSoak(profile: SoakProfile, options: SoakOptions): Promise<SoakSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const dirs = { connector: join(options.dataDir, 'connector'), files: join(options.dataDir, 'connector', 'files'), heartland: join(options.dataDir, 'heartland'), commerce: join(options.dataDir, 'commerce') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const coverage = coverageOf(registeredFlows(AREAS));
  log(`[soak] ${profile.name} workload (${profile.orders} orders, ${profile.stockChanges} stock changes, ${profile.invoices} invoices, ${profile.customerEdits} customer edits; Heartland client at ${profile.heartlandRatePerSecond} req/s); flows registered: ${coverage.flows.map((f) => f.name).join(', ') || 'none'}`);

  const closers: Array<() => Promise<void> | void> = [];
  try {
    const [hostPort, heartlandPort, commercePort] = [await freePort(), await freePort(), await freePort()];
    const stateService = await startStateService({ dbFile: join(dirs.connector, 'state.db'), host: '127.0.0.1' });
    closers.push(() => stateService.close());
    const heartlandSim = await startHeartlandSimulator({ port: heartlandPort, host: '127.0.0.1', dataDir: dirs.heartland, token: HEARTLAND_TOKEN });
    closers.push(() => heartlandSim.close());
    const commerceSim = await startCommerceSimulator({ port: commercePort, host: '127.0.0.1', dataDir: dirs.commerce, randomSeed: profile.seed });
    closers.push(() => commerceSim.close());

    // The connector's inputs, for the host child and for replays run here.
    const connectorEnv: Record<string, string> = {
      AIO_STATE_ENDPOINT: stateService.url,
      HCC_FILES_DIR: dirs.files,
      AIO_RUNTIME_NAMESPACE: NAMESPACE,
      AIO_RUNTIME_AUTH: RUNTIME_AUTH,
      HEARTLAND_BASE_URL: heartlandSim.url.replace(/\/$/, ''),
      HEARTLAND_API_TOKEN: HEARTLAND_TOKEN,
      HEARTLAND_WEBHOOK_SECRET: WEBHOOK_SECRET,
      COMMERCE_BASE_URL: `${new URL(commerceSim.url).origin}/rest`,
      COMMERCE_ACCESS_TOKEN: COMMERCE_TOKEN,
      // Bearer, not OAuth 1.0a: the host's clock is shifted forward (skewed-clock.ts) and OAuth
      // timestamps outside 600 s are refused. Bearer is a supported integration-token mode.
      COMMERCE_CONSUMER_KEY: '',
      COMMERCE_CONSUMER_SECRET: '',
      COMMERCE_ACCESS_TOKEN_SECRET: '',
      LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'warn',
      // An action input (app.config.yaml): the host's actions and the replays here read it.
      HEARTLAND_RATE_PER_SECOND: String(profile.heartlandRatePerSecond),
    };
    // Runtime's per-namespace cap (appbuilder.md §limits: 100 concurrent activations, then 429); the
    // local host's default (500) lets a burst pile up more activations than two cores can serve.
    const hostEnv = { HCC_HOST_MAX_CONCURRENT_ACTIVATIONS: '100' };
    for (const [k, v] of Object.entries(connectorEnv)) process.env[k] = v;
    process.env.__OW_NAMESPACE = NAMESPACE;
    process.env.__OW_API_KEY = RUNTIME_AUTH;
    process.env.__OW_API_HOST = `http://127.0.0.1:${hostPort}`;

    const host = await startHostProcess({
      port: hostPort,
      env: { ...(process.env as Record<string, string>), ...connectorEnv, ...hostEnv },
      logFile: join(options.dataDir, 'host.log'),
    });
    closers.push(() => host.stop());
    log(`[soak] host child on ${host.url}; data in ${options.dataDir}`);

    const state = createAioStateStore({ endpoint: stateService.url });
    const target: DemoTarget = {
      host: { url: host.url },
      env: connectorEnv,
      state: { url: stateService.url },
      heartland: { url: heartlandSim.url, port: heartlandPort, close: () => undefined },
      commerce: { url: commerceSim.url, port: commercePort, close: () => undefined },
    };
    const seed: DemoSeed = await seedDemo(target, { items: profile.items, customers: 5, seed: profile.seed, state, log });
    const settings = await loadConnectorSettings(state);

    const faultApi = { heartland: heartlandApi(heartlandSim.url, { token: HEARTLAND_TOKEN }), commerce: commerceApi(commerceSim.url, { token: COMMERCE_TOKEN }) };
    // The workload is the merchant's own systems: it retries injected faults (they are aimed at the connector).
    const retry = { maxAttempts: 50, delayMs: 50 };
    const hl = heartlandApi(heartlandSim.url, { token: HEARTLAND_TOKEN, timeoutMs: 60_000, retryInjectedFaults: retry });
    const mc = commerceApi(commerceSim.url, { token: COMMERCE_TOKEN, timeoutMs: 60_000, retryInjectedFaults: retry });

    await mc.control('PUT', 'events/settings', {
      target: { url: host.schedulerUrl.replace('connector/scheduler', 'connector/commerce-events'), authorization: host.authorization },
      duplicateRate: profile.duplicateRate,
      reorderRate: profile.reorderRate,
      reorderMaxDelayMs: 2_000,
      // Redelivery after 1, 2, 4, 8 s, then every 15 min × timeScale: a dead host is retried within seconds.
      timeScale: 0.02,
    });
    await injectFaults(faultApi.heartland, faultApi.commerce, { rate: profile.faultRate, timeouts: profile.timeouts, seed: profile.seed });

    const random = seededRandom(profile.seed);
    const ledger: WorkloadLedger = emptyLedger();
    const workload = createWorkload({ heartland: hl, commerce: mc, seed, random }, ledger);
    // In Runtime the minute alarm has been firing since the app was deployed, so every polling feed
    // has its cursor before the merchant's traffic starts. One pass now does that here: a feed's
    // first poll starts at "now", and without it a change whose event was lost while the host was
    // down (before the first alarm) would fall before every cursor and never be polled (a quick
    // soak lost a customer edit that way, about one run in six).
    await invokeScheduler(host);
    // The minute alarm (`everyMinute` → connector/scheduler) the host child runs without: it fires
    // here instead, so due retries and polling feeds run during the workload as they would in Runtime.
    let alarm: Promise<unknown> | undefined;
    const minuteAlarm = setInterval(() => {
      if (host.running()) alarm ??= invokeScheduler(host).finally(() => (alarm = undefined));
    }, 60_000);
    const countHeartlandOrders = async () => (await hl.request<{ total: number }>('GET', 'sales/orders?per_page=1')).total;
    let driven: { invoicesOwed: number };
    try {
      driven = await driveWorkload({ workload, profile, random, coverage, host, log, countHeartlandOrders });
    } finally {
      clearInterval(minuteAlarm);
      await alarm;
    }
    const faultCounts = await clearFaults(faultApi.heartland, faultApi.commerce);
    log(`[soak] workload done in ${Math.round((Date.now() - started) / 1000)} s: ${ledger.webOrders.length} web orders, ${ledger.stockChanges} stock changes, ${ledger.invoices.length} invoices, ${ledger.customerEdits.length} customer edits; faults injected: Heartland ${faultCounts.heartlandInjected}, Commerce ${faultCounts.commerceApplied}`);

    const settleDeadline = Date.now() + profile.settleMs;
    const settled = await settle({ host, commerce: faultApi.commerce, state, deadline: settleDeadline, log });

    // Dead letters: each must be a deliberately invalid input; fix the data, replay, settle again.
    const before = await listDeadLetterSummaries();
    const classified = classifyDeadLetters(before, ledger, { order: coverage.order?.name, customerToHeartland: coverage.customerToHeartland?.name });
    const replayed = await fixAndReplay({ heartland: hl, commerce: mc, classified, clockOffsetMs: host.clockOffsetMs(), log });
    const finalSettle =
      replayed.done + replayed.deferred + replayed.failed > 0 ? await settle({ host, commerce: faultApi.commerce, state, deadline: Date.now() + Math.max(30_000, settleDeadline - Date.now()), log, skipNow: true }) : settled;
    const after = await listDeadLetterSummaries();
    const stillOpen = after.filter((d) => d.status === 'open');

    const problems: Problem[] = [];
    const notes: string[] = [];
    const heartlandOrders = await heartlandWebOrders(faultApi.heartland);
    let lost = 0;
    let duplicates = 0;
    if (coverage.checks.includes('orders')) {
      const result = checkOrders(ledger.webOrders, heartlandOrders);
      lost = result.lost.length;
      duplicates = result.duplicates.length;
      problems.push(...result.lost, ...result.duplicates);
    }
    let stockMismatches = 0;
    let stockChecked = 0;
    if (coverage.checks.includes('stock')) {
      const result = await checkStock({ heartland: faultApi.heartland, commerce: faultApi.commerce, settings: await loadConnectorSettings(state), heartlandOrders, skus: new Set(seed.skus) });
      stockMismatches = result.mismatches.length;
      stockChecked = result.checked;
      problems.push(...result.mismatches);
    }
    let shipmentMismatches = 0;
    if (coverage.checks.includes('shipments')) {
      const result = await checkShipments({ commerce: faultApi.commerce, invoices: ledger.invoices, placed: ledger.webOrders, settings });
      shipmentMismatches = result.length;
      problems.push(...result);
    }
    let customerMismatches = 0;
    if (coverage.checks.includes('customers')) {
      const result = await checkCustomers({ heartland: faultApi.heartland, commerce: faultApi.commerce, edits: ledger.customerEdits, fixedCustomerIds: classified.expected.flatMap((e) => (e.fix.kind === 'invalid-email' ? [e.fix.commerceCustomerId] : [])) });
      customerMismatches = result.length;
      problems.push(...result);
    }
    for (const d of classified.unexpected) problems.push({ check: 'dead-letters', subject: d.id, message: `unexpected dead letter ${d.id} (key ${d.key}): ${d.error}` });
    const unexpectedIds = new Set(classified.unexpected.map((d) => d.id));
    for (const d of stillOpen) {
      if (!unexpectedIds.has(d.id)) problems.push({ check: 'dead-letters', subject: d.id, message: `dead letter ${d.id} is still open after the fix and replay: ${d.error}` });
    }
    const invalidOrders = coverage.order ? ledger.webOrders.filter((o) => o.invalid).length : 0;
    // A mistyped email the Heartland account accepted is not invalid there: no dead letter is due.
    const heartlandEmails = new Set((await heartlandAll<{ email: string | null }>(faultApi.heartland, 'customers')).map((c) => c.email?.toLowerCase()));
    const acceptedEmails = ledger.invalidEmails.filter((e) => heartlandEmails.has(e.invalidEmail.toLowerCase()));
    if (acceptedEmails.length) notes.push(`${acceptedEmails.length} mistyped email(s) were accepted by Heartland, so they are not invalid inputs there`);
    const invalidEmails = coverage.customerToHeartland ? ledger.invalidEmails.length - acceptedEmails.length : 0;
    const deadLetteredExpected = invalidOrders + invalidEmails;
    const orderLetters = classified.expected.filter((e) => e.fix.kind === 'unknown-sku').length;
    const emailLetters = classified.expected.filter((e) => e.fix.kind === 'invalid-email').length;
    if (orderLetters !== invalidOrders) problems.push({ check: 'dead-letters', subject: 'invalid orders', message: `${invalidOrders} deliberately invalid orders, ${orderLetters} dead-lettered` });
    if (emailLetters !== invalidEmails) problems.push({ check: 'dead-letters', subject: 'invalid emails', message: `${invalidEmails} Magento customers with a mistyped email, ${emailLetters} dead-lettered` });
    if (finalSettle.pendingRetries > 0) problems.push({ check: 'settle', subject: 'retries', message: `${finalSettle.pendingRetries} retries still pending after settling` });

    const summary: SoakSummary = {
      profile: profile.name,
      flows: coverage.flows.map((f) => f.name),
      checked: coverage.checks,
      notChecked: coverage.notChecked,
      workload: {
        invoicesNotMade: driven.invoicesOwed,
        orders: ledger.webOrders.filter((o) => !o.invalid).length,
        badOrders: ledger.webOrders.filter((o) => o.invalid).length,
        invalidEmails: ledger.invalidEmails.length,
        stockChanges: ledger.stockChanges,
        invoices: ledger.invoices.length,
        customerEdits: ledger.customerEdits.length,
        posTickets: ledger.posTickets,
        adjustmentSets: ledger.adjustmentSets,
      },
      faults: { ...faultCounts, duplicateRate: profile.duplicateRate, reorderRate: profile.reorderRate },
      host: { kills: host.kills, restarts: host.restarts, clockAdvancedMs: host.clockOffsetMs() },
      settle: { ...finalSettle, schedulerPasses: settled.schedulerPasses + (finalSettle === settled ? 0 : finalSettle.schedulerPasses) },
      deadLetteredBeforeReplay: before.filter((d) => d.status === 'open').length,
      replayed,
      notes,
      problems: problems.slice(0, 50),
      orders: ledger.webOrders.length,
      lost,
      duplicates,
      stockMismatches,
      stockChecked,
      shipmentMismatches,
      customerMismatches,
      deadLettered: classified.expected.length + classified.unexpected.length,
      deadLetteredExpected,
      unexpectedDeadLetters: classified.unexpected.length,
      durationS: Math.round((Date.now() - started) / 1000),
      ok: problems.length === 0,
    };
    return summary;
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // Best effort: the summary matters more than a clean shutdown of a test service.
      }
    }
  }
}
