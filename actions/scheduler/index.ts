/**
 * Alarm target (every minute): under a lease, runs due retries, polls every registered feed from
 * its cursor, compacts run records into metrics and starts nightly jobs (lib/sync/scheduler.ts).
 */
import { z } from 'zod';
import { readConnectionSettings } from '../../lib/config/settings';
import { createConnector } from '../../lib/connector';
import { defineAction, jsonResponse } from '../../lib/runtime';
import { runScheduler } from '../../lib/sync';

// The alarm's trigger_payload plus the trigger's own fields; nothing required.
const tick = z.object({}).loose();

export const main = defineAction({
  name: 'connector/scheduler',
  payload: tick,
  handle: async (_tick, context) => {
    const reading = readConnectionSettings(context.inputs);
    // A tick without settings is normal during setup: report it, do not fail the activation.
    if (!reading.ok) return jsonResponse({ outcome: 'not_configured', missing: reading.missing, invalid: reading.invalid.map((p) => p.name) });
    const connector = createConnector({ inputs: context.inputs });
    const summary = await runScheduler(connector.deps);
    return jsonResponse({ outcome: 'ran', summary });
  },
});
