/**
 * The gate every action that talks to Heartland or Commerce passes first: without complete
 * connection settings it answers 503 `not_configured` naming the missing settings (503 so that
 * I/O Events retries the event once the merchant has finished setup, instead of dropping it).
 */
import { HttpError } from '../runtime/http-error';
import { type ConnectionSettings, readConnectionSettings } from './settings';

export function requireConnectionSettings(inputs: Record<string, string | undefined>): ConnectionSettings {
  const reading = readConnectionSettings(inputs);
  if (reading.ok) return reading.settings;
  const problems = [
    ...reading.missing.map((name) => `${name} is not set`),
    ...reading.invalid.map((problem) => problem.message),
  ];
  const field = reading.missing[0] ?? reading.invalid[0]?.name;
  throw new HttpError(503, 'not_configured', `the connector is not configured yet: ${problems.join('; ')}`, field);
}
