/**
 * I/O Events consumer for Commerce (non-web). The CloudEvent arrives as params (commerce.md §3.5);
 * I/O's own signature-validator sequence has checked it before we run (§3.8). Each area turns the
 * event into units of work (hints: flows re-read the order or customer), and the pipeline runs them.
 * Answers: 400 for a malformed event (I/O Events does not retry 4xx), 413 above the size limit, 200
 * "ignored" for a Commerce type the connector is not registered for, 503 while settings are
 * missing, 5xx when an outcome could not be recorded (I/O Events retries), and 200 once every unit
 * is recorded as done, skipped, retry-scheduled or dead-lettered. See consume.ts.
 */
import { z } from 'zod';
import { HttpError, defineAction } from '../../lib/runtime';
import { MAX_EVENT_BYTES, consumeCommerceEvent } from './consume';

export const main = defineAction({
  name: 'connector/commerce-events',
  payload: z.record(z.string(), z.unknown()),
  handle: async (payload, context) => {
    const size = Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8');
    if (size > MAX_EVENT_BYTES) throw new HttpError(413, 'event_too_large', `the event is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`);
    return consumeCommerceEvent(payload, context);
  },
});
