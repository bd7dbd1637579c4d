/**
 * Benchmark `panel` (issue 13): the production build of the admin panel (`vite build`, as
 * `npm run build:web` runs it, into a temporary folder) — JS and CSS raw and gzip, and the JS the
 * first page load needs (index.html's scripts and module preloads; lazy chunks are listed apart) —
 * then time to the overview in headless Debian chromium against the sandbox: from navigation start
 * until every flow tile of the Overview is on screen (first contentful paint reported too). Each
 * load is a fresh browser context (empty cache); `BENCH_PANEL_LOADS` (default 5), median and max.
 * Targets: initial JS gzip < 250 KB; overview < 1.5 s.
 *
 * Side by side: no naive panel exists to build; figures stand against the targets.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { emitResult, percentile, scaled } from './support/report';
import { CHROMIUM_ARGS, servePanel } from '../e2e/support/panel-server';

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const LOADS = Number(process.env.BENCH_PANEL_LOADS ?? scaled(5, 1));
const REPO = resolve('.');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}


const buildDir = mkdtempSync(join(tmpdir(), 'hcc-bench-panel-'));
const dataDir = mkdtempSync(join(tmpdir(), 'hcc-bench-panel-data-'));
try {
  const tb = performance.now();
  await promisify(execFile)(join(REPO, 'node_modules/.bin/vite'), ['build', '--config', 'web-src/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'production', PANEL_OUT_DIR: buildDir },
  });
  const buildS = (performance.now() - tb) / 1000;

  // --- sizes ---------------------------------------------------------------------------------------
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  const sizeOf = (files: string[]) => files.reduce((s, f) => ({ raw: s.raw + statSync(f).size, gzip: s.gzip + gzipSync(readFileSync(f), { level: 9 }).length }), { raw: 0, gzip: 0 });
  const all = filesUnder(buildDir);
  const js = all.filter((f) => f.endsWith('.js'));
  const css = all.filter((f) => f.endsWith('.css'));
  const html = readFileSync(join(buildDir, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+\.(?:js|css))"/g)].map((m) => join(buildDir, m[1]!.replace(/^\.?\//, '')));
  const initialJs = js.filter((f) => referenced.includes(f));
  const jsSize = sizeOf(js);
  const cssSize = sizeOf(css);
  const initialSize = sizeOf(initialJs);

  // --- time to the overview ------------------------------------------------------------------------
  let timing: Record<string, unknown> = { skipped: `${CHROMIUM} is not installed` };
  let overviewMedian = NaN;
  if (existsSync(CHROMIUM)) {
    process.env.LOG_LEVEL ??= 'warn';
    const { startSandbox } = await import('../sandbox/sandbox');
    const { chromium } = await import('playwright-core');
    const sandbox = await startSandbox({ dataDir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: true, log: () => undefined });
    const panel = await servePanel(buildDir, sandbox.host.url);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const overview: number[] = [];
      const fcp: number[] = [];
      let flows = 0;
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(panel.url, { waitUntil: 'commit' });
        // Rendered = the Overview's dead-letter tile and every flow tile are on screen with no spinner left.
        await page.getByRole('region', { name: 'Dead letters waiting' }).waitFor({ timeout: 30_000 });
        await page.getByRole('region', { name: /flow$/ }).first().waitFor({ timeout: 30_000 });
        await page.getByRole('progressbar').first().waitFor({ state: 'detached', timeout: 30_000 });
        overview.push(performance.now() - started);
        flows = await page.getByRole('region', { name: /flow$/ }).count();
        const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
        if (typeof paint === 'number') fcp.push(paint);
        await context.close();
      }
      overview.sort((a, b) => a - b);
      fcp.sort((a, b) => a - b);
      overviewMedian = percentile(overview, 50);
      timing = { loads: LOADS, flowTiles: flows, overviewMs: { median: Math.round(overviewMedian), max: Math.round(overview[overview.length - 1]!) }, firstContentfulPaintMs: { median: Math.round(percentile(fcp, 50)) } };
    } finally {
      await browser.close();
      await new Promise((ok) => panel.server.close(ok));
      await sandbox.close();
    }
  }

  emitResult({
    buildS: Math.round(buildS * 10) / 10,
    js: { files: js.length, rawKb: kb(jsSize.raw), gzipKb: kb(jsSize.gzip) },
    css: { files: css.length, rawKb: kb(cssSize.raw), gzipKb: kb(cssSize.gzip) },
    initialJs: { files: initialJs.map((f) => f.slice(buildDir.length + 1)), rawKb: kb(initialSize.raw), gzipKb: kb(initialSize.gzip) },
    lazyJs: { files: js.length - initialJs.length, gzipKb: kb(jsSize.gzip - initialSize.gzip) },
    timing,
    targets: { initialJsGzipUnder250Kb: initialSize.gzip / 1024 < 250, overviewUnder1500ms: Number.isFinite(overviewMedian) ? overviewMedian < 1_500 : null },
    naive: { note: 'no naive counterpart: figures stand against the targets' },
  });
} finally {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
