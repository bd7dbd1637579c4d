import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { CONNECTOR_COMMERCE_EVENTS, connectionVariables, readSetupConfig, SetupConfigError, updateEnvFile } from '../../lib/onboarding';

const dir = mkdtempSync(join(tmpdir(), 'hcc-onboarding-'));

describe('.env writing', () => {
  it('adds and replaces values, keeps comments and other lines, reports names only; a re-run changes nothing', async () => {
    const file = join(dir, 'a.env');
    writeFileSync(file, '# mine\nLOG_LEVEL=debug\nHEARTLAND_API_TOKEN=old\n');
    const first = await updateEnvFile(file, { HEARTLAND_API_TOKEN: 'new token "q"', COMMERCE_BASE_URL: 'http://x/rest' });
    expect(first.changed.sort()).toEqual(['COMMERCE_BASE_URL', 'HEARTLAND_API_TOKEN']);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# mine\nLOG_LEVEL=debug\n');
    expect(parseDotenv(text)).toMatchObject({ LOG_LEVEL: 'debug', HEARTLAND_API_TOKEN: 'new token "q"', COMMERCE_BASE_URL: 'http://x/rest' });
    const again = await updateEnvFile(file, { HEARTLAND_API_TOKEN: 'new token "q"', COMMERCE_BASE_URL: 'http://x/rest' });
    expect(again.changed).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('setup config file', () => {
  it('reads YAML, resolves $VARIABLES from the environment and maps to variable names', async () => {
    const file = join(dir, 'setup.yaml');
    writeFileSync(file, 'heartland:\n  baseUrl: http://h/api\n  apiToken: $HL_TOKEN\ncommerce:\n  baseUrl: http://c/rest\n  accessToken: ${MC_TOKEN}\nchoices:\n  paymentMethodMap:\n    checkmo: Check\n');
    const config = await readSetupConfig(file, { HL_TOKEN: 'a', MC_TOKEN: 'b' });
    expect(connectionVariables(config)).toEqual({ HEARTLAND_BASE_URL: 'http://h/api', HEARTLAND_API_TOKEN: 'a', COMMERCE_BASE_URL: 'http://c/rest', COMMERCE_ACCESS_TOKEN: 'b' });
    expect(config.choices.acceptProposals).toBe(true);
  });

  it('names the field at fault: unknown key, missing variable, wrong type, missing file', async () => {
    const write = (name: string, body: unknown) => {
      const f = join(dir, name);
      writeFileSync(f, JSON.stringify(body));
      return f;
    };
    await expect(readSetupConfig(write('a.json', { heartland: { baseUrl: 'x', apiToken: 't' }, commerce: { baseUrl: 'y', tokn: 1 } }))).rejects.toThrow(/commerce: Unrecognized key: "tokn"/);
    await expect(readSetupConfig(write('b.json', { heartland: { baseUrl: 'x', apiToken: '$NOPE_VAR' }, commerce: { baseUrl: 'y' } }), {})).rejects.toThrow(/heartland\.apiToken: refers to \$NOPE_VAR/);
    await expect(readSetupConfig(write('c.json', { heartland: { baseUrl: 'x', apiToken: 't' }, commerce: { baseUrl: 'y' }, sandbox: 'yes' }))).rejects.toThrow(SetupConfigError);
    await expect(readSetupConfig(join(dir, 'none.json'))).rejects.toThrow(/none\.json: no such file/);
  });
});

describe('Commerce events', () => {
  it('are exactly the event codes of the I/O Events registration in app.config.yaml', () => {
    const app = parseYaml(readFileSync('app.config.yaml', 'utf8')) as { application: { events: { registrations: Record<string, { events_of_interest: { event_codes: string[] }[] }> } } };
    const codes = Object.values(app.application.events.registrations).flatMap((r) => r.events_of_interest.flatMap((e) => e.event_codes));
    expect(codes.map((c) => c.replace(/^com\.adobe\.commerce\./, '')).sort()).toEqual([...CONNECTOR_COMMERCE_EVENTS].sort());
  });
});
