/**
 * Which Commerce CloudEvent types the connector accepts. Default: the Commerce events the connector
 * knows how to handle (lib/commerce/events.ts `CommerceEventName`), which covers the I/O Events
 * registration in app.config.yaml (a test keeps the two in step). A merchant who narrows the
 * registration can narrow this too with COMMERCE_EVENT_TYPES (comma-separated; either full types
 * `com.adobe.commerce.observer.x` or event names `observer.x`; the App Management namespace between
 * `com.adobe.commerce.` and `observer.` is ignored).
 *
 * An event of another Commerce type is answered 200 "ignored", not 4xx: I/O Events counts every
 * non-2xx answer against the registration's health and DISABLES it at 80 % failures (commerce.md
 * §3.7), which would stop order events too; a 4xx is never retried, so it would gain nothing.
 * Malformed envelopes and non-Commerce types are refused with 400.
 */
import { CommerceEventName, commerceEventName } from '../commerce/events';

export const EVENT_TYPES_INPUT = 'COMMERCE_EVENT_TYPES';

export const KNOWN_COMMERCE_EVENTS: readonly string[] = Object.values(CommerceEventName);

export class EventTypesSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventTypesSettingError';
  }
}

/** Event names (`observer.…`) accepted with these inputs. */
export function acceptedCommerceEvents(inputs: Record<string, string | undefined>): ReadonlySet<string> {
  const configured = inputs[EVENT_TYPES_INPUT]?.trim();
  if (!configured) return new Set(KNOWN_COMMERCE_EVENTS);
  const names = new Set<string>();
  for (const entry of configured.split(',').map((s) => s.trim()).filter(Boolean)) {
    const name = /^(observer|plugin)\./.test(entry) ? entry : commerceEventName(entry);
    if (!name) throw new EventTypesSettingError(`${EVENT_TYPES_INPUT}: "${entry.slice(0, 80)}" is not a Commerce event type (com.adobe.commerce.observer.<event> or observer.<event>)`);
    names.add(name);
  }
  return names;
}

export type EventTypeDecision = { accepted: true; name: string } | { accepted: false; reason: string };

/** Whether a CloudEvent `type` is one the connector acts on. */
export function decideEventType(type: string, accepted: ReadonlySet<string>): EventTypeDecision {
  const name = commerceEventName(type);
  if (!name) return { accepted: false, reason: `not a Commerce event type` };
  if (!accepted.has(name)) return { accepted: false, reason: `${name} is not one of the events this connector is registered for` };
  return { accepted: true, name };
}
