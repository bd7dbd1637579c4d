/** Alarm target (every minute): polls, due retries, reconciliation once the flows exist. */
import { z } from 'zod';
import { readConnectionSettings } from '../../lib/config/settings';
import { defineAction, jsonResponse } from '../../lib/runtime';

// The alarm's trigger_payload plus the trigger's own fields; nothing required.
const tick = z.object({}).loose();

export const main = defineAction({
  name: 'connector/scheduler',
  payload: tick,
  handle: (_tick, context) => {
    const reading = readConnectionSettings(context.inputs);
    // A tick without settings is normal during setup: report it, do not fail the activation.
    if (!reading.ok) return jsonResponse({ outcome: 'not_configured', missing: reading.missing, invalid: reading.invalid.map((p) => p.name) });
    return jsonResponse({ outcome: 'idle', jobs: [], reason: 'no scheduled jobs are registered yet' });
  },
});
