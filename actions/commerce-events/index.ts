/**
 * I/O Events consumer for Commerce (non-web). The CloudEvent arrives as params (commerce.md §3.5).
 * Each area turns the event into units of work (hints: flows re-read the order or customer), and
 * the pipeline runs them. Answers: 400 for a malformed event (I/O Events does not retry 4xx), 503
 * while settings are missing, 5xx when an outcome could not be recorded (I/O Events retries), and
 * 200 once every unit is recorded as done, skipped, retry-scheduled or dead-lettered.
 */
import { z } from 'zod';
import { CommerceEventError, parseCommerceEvent } from '../../lib/commerce/events';
import { createConnector, unitsForCommerceEvent } from '../../lib/connector';
import { HttpError, defineAction, jsonResponse } from '../../lib/runtime';
import { runRegisteredUnits } from '../../lib/sync';

export const main = defineAction({
  name: 'connector/commerce-events',
  payload: z.record(z.string(), z.unknown()),
  handle: async (payload, context) => {
    let event;
    try {
      event = parseCommerceEvent(payload);
    } catch (error) {
      if (error instanceof CommerceEventError) {
        throw new HttpError(400, 'invalid_event', error.message, error.issues[0]?.path || undefined);
      }
      throw error;
    }
    const connector = createConnector({ inputs: context.inputs });
    const units = await unitsForCommerceEvent(connector, event);
    const outcomes = await runRegisteredUnits(
      units.map((u) => ({ ...u, correlationId: u.correlationId ?? context.correlationId })),
      connector.deps,
    );
    return jsonResponse({
      eventId: event.event.eventid,
      eventType: event.event.type,
      units: outcomes.map((o) => ({ flow: o.flow, key: o.key, outcome: o.outcome, ...('reason' in o ? { reason: o.reason } : {}) })),
    });
  },
});
