/**
 * `aio app build` bundles each action with webpack using our webpack-config.cjs plus settings it
 * forces (appbuilder.md §2.1: target node, commonjs2, fixed output, entry = the action). This
 * runs the same build without the aio CLI, then loads the bundle as Runtime would and calls main.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import webpack from 'webpack';

const require = createRequire(import.meta.url);
const outDir = mkdtempSync(join(tmpdir(), 'hcc-bundle-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function build(entry: string): Promise<webpack.Stats> {
  const projectConfig = require(resolve('webpack-config.cjs')) as webpack.Configuration;
  const config: webpack.Configuration = {
    ...projectConfig,
    mode: 'production',
    target: 'node',
    entry: [resolve(entry)],
    output: { path: outDir, filename: 'index.js', libraryTarget: 'commonjs2' },
    // aio-lib-runtime sets resolve.extensions explicitly to include .js and .json.
    resolve: { ...projectConfig.resolve, extensions: [...(projectConfig.resolve?.extensions ?? []), '.js', '.json'], mainFields: ['main', 'module'] },
    plugins: [new webpack.DefinePlugin({ WEBPACK_ACTION_BUILD: 'true' })],
    context: resolve('.'),
  };
  return new Promise((done, fail) => {
    webpack(config, (error, stats) => {
      if (error) return fail(error);
      if (!stats || stats.hasErrors()) return fail(new Error(stats?.toString({ all: false, errors: true }) ?? 'no stats'));
      done(stats);
    });
  });
}

describe('aio app build bundling', () => {
  it('bundles actions/admin-api/index.ts into a CommonJS main that answers like the source', async () => {
    await build('actions/admin-api/index.ts');
    const bundle = require(join(outDir, 'index.js')) as {
      main: (params: Record<string, unknown>) => Promise<{ statusCode: number; body: { connections: Record<string, { configured: boolean; message: string }> } }>;
    };
    expect(typeof bundle.main).toBe('function');
    const result = await bundle.main({
      __ow_method: 'get',
      __ow_path: '/status',
      __ow_headers: { authorization: 'Bearer bundle-test', 'x-gw-ims-org-id': 'BUNDLE@AdobeOrg' },
      HEARTLAND_BASE_URL: 'https://acme.retail.heartland.us/api',
    });
    // Unconfigured: status still answers, naming what is missing (lib/admin/router.ts).
    expect(result.statusCode).toBe(200);
    expect(result.body.connections.heartland.configured).toBe(false);
    expect(result.body.connections.heartland.message).toContain('HEARTLAND_API_TOKEN');
  }, 60_000);
});
