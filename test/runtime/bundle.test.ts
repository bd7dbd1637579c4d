/**
 * `aio app build` bundles each action with webpack using our webpack-config.cjs plus settings it
 * forces (appbuilder.md §2.1: target node, commonjs2, fixed output, entry = the action). This
 * runs the same build without the aio CLI — minified, openwhisk external, lazy chunks — then loads
 * the bundles as Runtime would and calls main: unconfigured, against a real state service, and
 * through aio-lib-files + the Azure SDK (bundle-files-probe.ts) against a local blob stand-in.
 *
 * The bundles are written under node_modules/.cache so `require('openwhisk')` resolves the way it
 * does on Runtime, where the nodejs images ship it preinstalled above the action's folder.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpack from 'webpack';
import { createFsFileStore } from '../../lib/platform/files';
import { createAioStateStore } from '../../lib/platform/state';
import { recordDeadLetter } from '../../lib/sync/dead-letters';
import { startStateService, type StateService } from '../../sandbox/state/server';
import { startBlobService, type BlobService } from './bundle-blob-service';
import type { FilesProbeParams } from './bundle-files-probe';

const require = createRequire(import.meta.url);
mkdirSync(resolve('node_modules/.cache'), { recursive: true });
const outRoot = mkdtempSync(join(resolve('node_modules/.cache'), 'hcc-bundle-'));
const dataDir = mkdtempSync(join(tmpdir(), 'hcc-bundle-data-'));

const ENTRIES = { 'admin-api': 'actions/admin-api/index.ts', 'files-probe': 'test/runtime/bundle-files-probe.ts' } as const;
type Bundle = keyof typeof ENTRIES;
const bundleFile = (name: Bundle) => join(outRoot, name, 'index.js');

/** One multi-compiler run, each entry configured exactly as aio-lib-runtime configures an action. */
function build(): Promise<void> {
  const projectConfig = require(resolve('webpack-config.cjs')) as webpack.Configuration;
  const configs = Object.entries(ENTRIES).map(([name, entry]): webpack.Configuration => ({
    ...projectConfig,
    name,
    mode: 'production',
    target: 'node',
    entry: [resolve(entry)],
    output: { path: join(outRoot, name), filename: 'index.js', libraryTarget: 'commonjs2' },
    // aio-lib-runtime sets resolve.extensions explicitly to include .js and .json.
    resolve: { ...projectConfig.resolve, extensions: [...(projectConfig.resolve?.extensions ?? []), '.js', '.json'], mainFields: ['main', 'module'] },
    plugins: [new webpack.DefinePlugin({ WEBPACK_ACTION_BUILD: 'true' })],
    context: resolve('.'),
    // Not aio's: a persistent cache so repeated test runs rebuild (and re-minify) only what changed.
    cache: { type: 'filesystem', cacheDirectory: resolve('node_modules/.cache/hcc-bundle-test-webpack'), name, buildDependencies: { config: [resolve('webpack-config.cjs')] } },
  }));
  return new Promise((done, fail) => {
    webpack(configs, (error, stats) => {
      if (error) return fail(error);
      if (!stats || stats.hasErrors()) return fail(new Error(stats?.toString({ all: false, errors: true }) ?? 'no stats'));
      done();
    });
  });
}

/** Loads a bundle in a fresh Node process (a cold container) and calls main once per request. */
function runInFreshProcess(bundle: string, env: Record<string, string>, requests: Array<Record<string, unknown>>): Promise<unknown[]> {
  const script = `const t=require(${JSON.stringify(bundle)});(async()=>{const out=[];for(const p of ${JSON.stringify(requests)})out.push(await t.main(p));process.stdout.write('ANSWER '+JSON.stringify(out)+'\\n')})().catch(e=>{process.stdout.write('FAILED '+e.stack+'\\n');process.exitCode=1})`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      const answer = /ANSWER (.*)\n/.exec(out);
      if (answer) return done(JSON.parse(answer[1]!) as unknown[]);
      fail(new Error(`bundle exited ${code}: ${out}${err}`.slice(0, 4000)));
    });
  });
}

const AUTH = { authorization: 'Bearer bundle-test', 'x-gw-ims-org-id': 'BUNDLE@AdobeOrg' };
const OW = { namespace: 'bundle-test', auth: '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:local-key' };

let stateService: StateService;
let blobs: BlobService;

beforeAll(async () => {
  [stateService, blobs] = await Promise.all([startStateService({ dbFile: join(dataDir, 'state.db') }), startBlobService(), build()]).then(([s, b]) => [s, b] as const);
}, 120_000);

afterAll(async () => {
  await Promise.all([stateService?.close(), blobs?.close()]);
  rmSync(outRoot, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('aio app build bundling', () => {
  it('keeps the file Runtime loads at start under 1 MB, with state, files and openwhisk outside it', () => {
    const files = readdirSync(join(outRoot, 'admin-api')).filter((f) => f.endsWith('.js'));
    // index.js plus the lazily imported aio-lib-state and aio-lib-files chunks (aio zips the folder).
    expect(files.length).toBeGreaterThan(1);
    expect(statSync(bundleFile('admin-api')).size).toBeLessThan(1024 * 1024);
    const main = readFileSync(bundleFile('admin-api'), 'utf8');
    expect(main).toContain('require("openwhisk")');
    expect(main).not.toContain('BlockBlobClient'); // the Azure SDK stays in its chunk
  });

  it('bundles actions/admin-api/index.ts into a CommonJS main that answers like the source', async () => {
    const bundle = require(bundleFile('admin-api')) as {
      main: (params: Record<string, unknown>) => Promise<{ statusCode: number; body: { connections: Record<string, { configured: boolean; message: string }> } }>;
    };
    expect(typeof bundle.main).toBe('function');
    const result = await bundle.main({
      __ow_method: 'get',
      __ow_path: '/status',
      __ow_headers: AUTH,
      HEARTLAND_BASE_URL: 'https://acme.retail.heartland.us/api',
    });
    // Unconfigured: status still answers, naming what is missing (lib/admin/router.ts).
    expect(result.statusCode).toBe(200);
    expect(result.body.connections.heartland.configured).toBe(false);
    expect(result.body.connections.heartland.message).toContain('HEARTLAND_API_TOKEN');
  }, 30_000);

  it('reads and writes state through the bundled aio-lib-state in a fresh process (dead letter detail, discard)', async () => {
    const filesDir = join(dataDir, 'files');
    const state = createAioStateStore({ endpoint: stateService.url, namespace: OW.namespace, apiKey: OW.auth });
    const id = await recordDeadLetter(
      { state, files: createFsFileStore(filesDir) },
      {
        unit: { flow: 'order', key: '000000042', trigger: 'event', attempt: 3, correlationId: 'corr-bundle', eventAt: Date.parse('2026-11-28T09:00:00Z') },
        unitId: '0a1b2c3d4e5f',
        error: { message: 'Heartland refused the order: customer_id is required', retryable: false, reason: 'validation', field: 'customer_id', system: 'heartland', status: 422 },
        source: { increment_id: '000000042' },
        mapped: null,
        now: Date.parse('2026-11-28T09:05:00Z'),
      },
    );
    const inputs = {
      HEARTLAND_BASE_URL: 'http://127.0.0.1:9/api',
      HEARTLAND_API_TOKEN: 'bundle-token',
      HEARTLAND_WEBHOOK_SECRET: 'bundle-webhook-secret',
      COMMERCE_BASE_URL: 'http://127.0.0.1:9/rest',
      COMMERCE_CONSUMER_KEY: 'k',
      COMMERCE_CONSUMER_SECRET: 's',
      COMMERCE_ACCESS_TOKEN: 't',
      COMMERCE_ACCESS_TOKEN_SECRET: 'ts',
      LOG_LEVEL: 'error',
    };
    const call = (method: string, path: string, extra: Record<string, unknown> = {}) => ({ ...inputs, ...extra, __ow_method: method, __ow_path: path, __ow_headers: AUTH });
    const [detail, discarded, listed] = (await runInFreshProcess(
      bundleFile('admin-api'),
      { AIO_STATE_ENDPOINT: stateService.url, __OW_NAMESPACE: OW.namespace, __OW_API_KEY: OW.auth, HCC_FILES_DIR: filesDir },
      [call('get', `/dead-letters/${id}`), call('post', `/dead-letters/${id}/discard`, { reason: 'order cancelled in the store' }), call('get', '/dead-letters', { status: 'discarded' })],
    )) as Array<{ statusCode: number; body: any }>;
    expect(detail!.statusCode).toBe(200);
    expect(detail!.body.summary).toMatchObject({ id, flow: 'order', key: '000000042', field: 'customer_id', status: 'open' });
    expect(detail!.body.sourcePayload).toEqual({ increment_id: '000000042' });
    expect(discarded!.body).toEqual({ id, status: 'discarded' });
    expect(listed!.body.items.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[id, 'discarded']]);
  }, 30_000);

  it('writes, reads, lists and deletes files through the bundled aio-lib-files and Azure SDK', async () => {
    const probe = require(bundleFile('files-probe')) as { main: (p: FilesProbeParams) => Promise<Record<string, unknown>> };
    const result = await probe.main({ tvmUrl: blobs.url, namespace: OW.namespace, auth: OW.auth, tvmCacheFile: join(dataDir, 'tvm-cache.json') });
    expect(result).toEqual({
      readText: JSON.stringify({ order: '000000042', note: 'payload of a dead letter' }),
      readBinary: '000102fafbfc',
      listed: ['dlq/order/0a1b2c3d.json', 'dlq/order/bin/4e5f.dat'],
      deletedReadsUndefined: true,
      listedAfterDelete: ['dlq/order/bin/4e5f.dat'],
    });
    // The namespace credentials went to the token exchange, and blobs were written as block blobs.
    expect(blobs.tvmAuthorizations).toEqual([`Basic ${Buffer.from(OW.auth).toString('base64')}`]);
    expect(blobs.requests).toContain(`PUT /account/${OW.namespace}/dlq/order/0a1b2c3d.json`);
    expect(blobs.requests).toContain(`DELETE /account/${OW.namespace}/dlq/order/0a1b2c3d.json`);
  }, 30_000);
});
