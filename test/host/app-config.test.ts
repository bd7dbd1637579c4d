import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadAppConfig } from '../../sandbox/host';
import { interpolateInputs } from '../../sandbox/host/inputs';

describe('app.config.yaml', () => {
  const config = loadAppConfig(resolve('app.config.yaml'));

  it.each([
    ['connector/commerce-events', 'no', false],
    ['connector/heartland-webhook', 'raw', false],
    ['connector/scheduler', 'no', false],
    ['connector/worker', 'no', false],
    ['connector/admin-api', 'yes', true],
    ['admin-ui-sdk/registration', 'yes', true],
  ] as const)('declares %s (web %s, require-adobe-auth %s) with a TypeScript entry point', (name, web, auth) => {
    const action = config.actions.get(name);
    expect(action).toMatchObject({ web, requireAdobeAuth: auth });
    expect(action?.functionPath).toBe(resolve('actions', name.split('/')[1], 'index.ts'));
  });

  it('gives the connector actions every connection setting as a $ENV input', () => {
    for (const name of ['commerce-events', 'heartland-webhook', 'scheduler', 'worker', 'admin-api']) {
      const inputs = config.actions.get(`connector/${name}`)?.inputs ?? {};
      for (const setting of ['HEARTLAND_BASE_URL', 'HEARTLAND_API_TOKEN', 'HEARTLAND_WEBHOOK_SECRET', 'COMMERCE_BASE_URL', 'COMMERCE_CONSUMER_KEY', 'COMMERCE_CONSUMER_SECRET', 'COMMERCE_ACCESS_TOKEN', 'COMMERCE_ACCESS_TOKEN_SECRET', 'COMMERCE_IMS_CLIENT_ID', 'LOG_LEVEL']) {
        expect(inputs[setting]).toBe(`$${setting}`);
      }
    }
  });

  it('binds the scheduler to a one-minute interval alarm by a rule', () => {
    expect(config.triggers).toEqual([{ packageName: 'connector', name: 'everyMinute', feed: '/whisk.system/alarms/interval', inputs: { minutes: 1 } }]);
    expect(config.rules).toEqual([{ packageName: 'connector', name: 'everyMinuteScheduler', trigger: 'everyMinute', action: 'connector/scheduler' }]);
  });

  it('registers the Commerce events for connector/commerce-events with nodejs:22 everywhere', () => {
    const document = parse(readFileSync('app.config.yaml', 'utf8'));
    const registrations = Object.values(document.application.events.registrations) as Array<{ runtime_action: string; events_of_interest: Array<{ event_codes: string[] }> }>;
    expect(registrations).toHaveLength(1);
    expect(registrations[0].runtime_action).toBe('connector/commerce-events');
    expect(registrations[0].events_of_interest[0].event_codes).toEqual(
      expect.arrayContaining([
        'com.adobe.commerce.observer.sales_order_save_commit_after',
        'com.adobe.commerce.observer.customer_save_commit_after',
        'com.adobe.commerce.observer.sales_order_creditmemo_save_after',
        'com.adobe.commerce.observer.sales_order_shipment_save_after',
      ]),
    );
    const text = readFileSync('app.config.yaml', 'utf8') + readFileSync('actions/registration/ext.config.yaml', 'utf8');
    expect(text.match(/runtime: (\S+)/g)?.every((line) => line === 'runtime: nodejs:22')).toBe(true);
  });
});

describe('interpolateInputs', () => {
  it('replaces $VAR and ${VAR}, embedded ${VAR}, and unset variables with empty strings', () => {
    expect(interpolateInputs({ A: '$X', B: '${X}', C: 'pre-${X}-post', D: '$MISSING', E: 5 }, { X: 'x' })).toEqual({ A: 'x', B: 'x', C: 'pre-x-post', D: '', E: 5 });
  });
});
