/**
 * Benchmark `cold-start` (issue 13): per action, the bundle `aio app build` would deploy (webpack
 * with webpack-config.cjs and the settings aio forces, as test/runtime/bundle.test.ts builds it)
 * and the time from spawning a fresh Node process to the first `main()` answer. Targets: bundle
 * < 1 MB, cold start < 300 ms.
 *
 * The first call is one that needs no upstream (an unconfigured or malformed request the action
 * refuses with 4xx/503, admin-api's /status), so the figure is process start + loading the bundle
 * + the action's own set-up, not network time. Runtime adds its container start on top (not ours
 * to measure). Each action starts `BENCH_COLD_RUNS` times (default 5); median and max reported.
 *
 * Bundle size: `index.js` is what Runtime loads at start (the target applies to it); aio zips the
 * whole build folder, so the lazily imported aio-lib-state / aio-lib-files chunks next to it are
 * deployed too and reported as `lazyChunksKb` and `deployedKb` (loaded only by activations that
 * touch state or files). Bundles are written under node_modules/.cache so the external `openwhisk`
 * resolves the way it does on Runtime, where the nodejs images ship it preinstalled.
 *
 * Side by side: no naive counterpart is run — a naive connector's bundle is not a thing we can
 * build honestly; the bundle figures stand against the targets alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import webpack from 'webpack';
import { emitResult, percentile, round, scaled } from './support/report';

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? scaled(5, 1));
const wanted = process.env.BENCH_ACTIONS?.split(',').filter(Boolean);
const actions = readdirSync('actions')
  .filter((a) => existsSync(join('actions', a, 'index.ts')))
  .filter((a) => !wanted || wanted.includes(a))
  .sort();

/** The first request each action gets in this benchmark; none of them reaches an upstream. */
const FIRST_CALL: Record<string, Record<string, unknown>> = {
  'admin-api': { __ow_method: 'get', __ow_path: '/status', __ow_headers: { authorization: 'Bearer cold-start', 'x-gw-ims-org-id': 'BENCH@AdobeOrg' } },
};

mkdirSync(resolve('node_modules/.cache'), { recursive: true });
const outRoot = mkdtempSync(join(resolve('node_modules/.cache'), 'hcc-cold-'));
try {
  const projectConfig = require(resolve('webpack-config.cjs')) as webpack.Configuration;
  const configs: webpack.Configuration[] = actions.map((a) => ({
    ...projectConfig,
    name: a,
    mode: 'production',
    target: 'node',
    entry: [resolve('actions', a, 'index.ts')],
    output: { path: join(outRoot, a), filename: 'index.js', libraryTarget: 'commonjs2' },
    resolve: { ...projectConfig.resolve, extensions: [...(projectConfig.resolve?.extensions ?? []), '.js', '.json'], mainFields: ['main', 'module'] },
    plugins: [new webpack.DefinePlugin({ WEBPACK_ACTION_BUILD: 'true' })],
    context: resolve('.'),
  }));
  const tb = performance.now();
  await new Promise<void>((done, fail) =>
    webpack(configs, (error, stats) => {
      if (error) return fail(error);
      if (!stats || stats.hasErrors()) return fail(new Error(stats?.toString({ all: false, errors: true }) ?? 'no stats'));
      done();
    }),
  );
  console.log(`built ${actions.length} bundles in ${((performance.now() - tb) / 1000).toFixed(1)} s`);

  /** Spawns node, loads the bundle, calls main once; resolves with ms from spawn to the answer line. */
  const coldStart = (bundle: string, params: Record<string, unknown>) =>
    new Promise<{ ms: number; status: unknown }>((done, fail) => {
      const script = `const t=require(${JSON.stringify(bundle)});Promise.resolve(t.main(${JSON.stringify(params)})).then(r=>{process.stdout.write('ANSWER '+JSON.stringify(r&&r.statusCode!==undefined?r.statusCode:(r&&r.error?'error':'ok'))+'\\n');process.exit(0)},e=>{process.stdout.write('ANSWER '+JSON.stringify('threw '+e.message)+'\\n');process.exit(0)})`;
      const started = performance.now();
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn' } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /ANSWER (.*)\n/.exec(out);
        if (m) done({ ms: performance.now() - started, status: JSON.parse(m[1]!) });
      });
      child.on('exit', (code) => (/ANSWER/.test(out) ? undefined : fail(new Error(`cold start of ${bundle} exited ${code} without an answer`))));
    });

  const perAction: Record<string, unknown> = {};
  let worstBundleKb = 0;
  let worstDeployedKb = 0;
  let worstColdMs = 0;
  for (const a of actions) {
    const bundle = join(outRoot, a, 'index.js');
    const kb = statSync(bundle).size / 1024;
    const chunks = readdirSync(join(outRoot, a)).filter((f) => f.endsWith('.js') && f !== 'index.js');
    const lazyKb = chunks.reduce((sum, f) => sum + statSync(join(outRoot, a, f)).size / 1024, 0);
    const times: number[] = [];
    let status: unknown;
    for (let i = 0; i < RUNS; i++) {
      const r = await coldStart(bundle, FIRST_CALL[a] ?? {});
      times.push(r.ms);
      status = r.status;
    }
    times.sort((x, y) => x - y);
    const median = percentile(times, 50);
    worstBundleKb = Math.max(worstBundleKb, kb);
    worstDeployedKb = Math.max(worstDeployedKb, kb + lazyKb);
    worstColdMs = Math.max(worstColdMs, median);
    perAction[a] = { bundleKb: Math.round(kb), lazyChunksKb: Math.round(lazyKb), lazyChunks: chunks.length, deployedKb: Math.round(kb + lazyKb), coldStartMs: { median: Math.round(median), max: Math.round(times[times.length - 1]!), runs: RUNS }, firstAnswer: status };
  }
  // Bare `node -e` answering at once: the floor no bundle can go below on this machine.
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await new Promise<void>((done) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).on('exit', () => done()));
    floor.push(performance.now() - started);
  }
  floor.sort((x, y) => x - y);
  emitResult({
    actions: perAction,
    nodeProcessFloorMs: Math.round(percentile(floor, 50)),
    largestBundleKb: Math.round(worstBundleKb),
    largestDeployedKb: Math.round(worstDeployedKb),
    slowestColdStartMedianMs: Math.round(worstColdMs),
    targets: { bundlesUnder1Mb: worstBundleKb < 1024, coldStartUnder300ms: worstColdMs < 300 },
    naive: { note: 'no naive counterpart: figures stand against the targets' },
    bundledWith: 'webpack production, webpack-config.cjs (esbuild minify with keepNames, openwhisk external, lazy state/files chunks), target node, commonjs2',
    bundleKbMeans: 'index.js, the file Runtime loads at start; deployedKb adds the lazy chunks aio zips with it',
  });
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
