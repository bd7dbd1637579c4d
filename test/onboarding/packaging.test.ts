/** install.yaml and extension-manifest.json agree with the app they describe (commerce.md §5.2). */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ADMIN_UI_EXTENSION_ID } from '../../lib/config/admin-ui';

describe('App Builder packaging', () => {
  const manifest = JSON.parse(readFileSync('extension-manifest.json', 'utf8')) as Record<string, string>;
  const install = parseYaml(readFileSync('install.yaml', 'utf8')) as { categories: string[]; extensions: { extensionPointId: string }[] };
  const app = parseYaml(readFileSync('app.config.yaml', 'utf8')) as { extensions: Record<string, unknown> };
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

  it('the manifest id is the id the panel registers with @adobe/uix-guest, and its version is the package version', () => {
    expect(manifest).toMatchObject({ id: ADMIN_UI_EXTENSION_ID, platform: 'web', version: pkg.version });
    for (const key of ['name', 'displayName', 'description']) expect(manifest[key]).toBeTruthy();
  });

  it('install.yaml declares the commerce/backend-ui/1 extension point app.config.yaml implements', () => {
    expect(install.categories).toEqual(['action', 'ui']);
    expect(install.extensions.map((e) => e.extensionPointId)).toEqual(['commerce/backend-ui/1']);
    expect(Object.keys(app.extensions)).toContain('commerce/backend-ui/1');
  });
});
