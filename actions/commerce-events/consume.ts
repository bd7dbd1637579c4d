/**
 * What both Commerce event entry points do with one CloudEvent, however it arrived (Runtime-action
 * delivery to commerce-events, or webhook-URL delivery to commerce-webhook after its signature
 * check): validate the envelope (400 naming the field), drop types the connector is not registered
 * for (200 "ignored", see lib/security/event-types.ts), then turn it into units and run them.
 * Nothing reads or writes state before the event is known to be well-formed and wanted.
 */
import { CommerceEventError, parseCommerceEvent } from '../../lib/commerce/events';
import { createConnector, unitsForCommerceEvent } from '../../lib/connector';
import { HttpError, jsonResponse, type ActionContext, type ActionResponse } from '../../lib/runtime';
import { EventTypesSettingError, acceptedCommerceEvents, decideEventType } from '../../lib/security/event-types';
import { maskUnitHints } from '../../lib/security/card-data';
import { containerUnitGate, runRegisteredUnits, unitsInFlightFor } from '../../lib/sync';

/** Commerce refuses to create events above 64 KB (commerce.md §3.3); the envelope adds little. */
export const MAX_EVENT_BYTES = 128 * 1024;

export async function consumeCommerceEvent(payload: Record<string, unknown>, context: ActionContext): Promise<ActionResponse> {
  let accepted;
  try {
    accepted = acceptedCommerceEvents(context.inputs);
  } catch (error) {
    if (error instanceof EventTypesSettingError) throw new HttpError(503, 'not_configured', error.message, 'COMMERCE_EVENT_TYPES');
    throw error;
  }
  let event;
  try {
    event = parseCommerceEvent(payload);
  } catch (error) {
    if (error instanceof CommerceEventError) {
      throw new HttpError(400, 'invalid_event', error.message, error.issues[0]?.path || undefined);
    }
    throw error;
  }
  const decision = decideEventType(event.event.type, accepted);
  if (!decision.accepted) {
    context.logger.info('event ignored', { eventType: event.event.type.slice(0, 200), reason: decision.reason });
    return jsonResponse({ eventId: event.event.eventid, eventType: event.event.type, ignored: true, reason: decision.reason });
  }
  const connector = createConnector({ inputs: context.inputs });
  // Card numbers typed into comments or addresses never travel on in a hint (retry records keep hints).
  const { units, flagged } = maskUnitHints(await unitsForCommerceEvent(connector, event));
  if (flagged > 0) context.logger.warn('card data masked in event payload', { eventId: event.event.eventid, units: flagged });
  // A burst of events waits for a slot in this container instead of overrunning it (units-in-flight.ts).
  const gate = containerUnitGate('commerce-events', unitsInFlightFor(connector.connection.heartland.ratePerSecond));
  const outcomes = await runRegisteredUnits(
    units.map((u) => ({ ...u, correlationId: u.correlationId ?? context.correlationId })),
    connector.deps,
    { gate },
  );
  return jsonResponse({
    eventId: event.event.eventid,
    eventType: event.event.type,
    ...(flagged > 0 ? { cardDataMasked: true } : {}),
    units: outcomes.map((o) => ({ flow: o.flow, key: o.key, outcome: o.outcome, ...('reason' in o ? { reason: o.reason } : {}) })),
  });
}
