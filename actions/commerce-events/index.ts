/**
 * I/O Events consumer for Commerce (non-web). The CloudEvent arrives as params (commerce.md §3.5).
 * A malformed event answers 400 (I/O Events does not retry 4xx); missing settings answer 503 so
 * I/O Events retries once setup is complete.
 */
import { z } from 'zod';
import { requireConnectionSettings } from '../../lib/config/readiness';
import { defineAction, jsonResponse } from '../../lib/runtime';

const commerceEvent = z
  .object({
    type: z.string().min(1, 'the event type is required'),
    // `eventid` is the CloudEvents name; `id`/`event_id` are older or envelope ids (commerce.md §3.5).
    eventid: z.string().min(1).optional(),
    event_id: z.string().min(1).optional(),
    id: z.string().min(1).optional(),
    data: z.object({ value: z.record(z.string(), z.unknown()) }, { error: 'data.value must be an object with the entity fields' }),
  })
  .refine((event) => Boolean(event.eventid ?? event.event_id ?? event.id), { message: 'an event id (eventid or id) is required', path: ['eventid'] });

export const main = defineAction({
  name: 'connector/commerce-events',
  payload: commerceEvent,
  handle: (event, context) => {
    requireConnectionSettings(context.inputs);
    const eventId = event.eventid ?? event.event_id ?? event.id;
    return jsonResponse({ outcome: 'not_handled', eventId, eventType: event.type, reason: 'no flow consumes this event type yet' });
  },
});
