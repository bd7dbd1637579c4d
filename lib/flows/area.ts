/**
 * A flow area is one capability's worth of flows (orders, inventory, customers...) together with
 * how outside signals become units of work for them. The composition root (lib/connector) collects
 * the areas, registers their flows, feeds and jobs with the pipeline, and routes every Commerce
 * event and Heartland webhook through them. An area never reaches into another area.
 */
import type { ParsedCommerceEvent } from '../commerce/events';
import type { EventNotification } from '../heartland/payloads';
import type { ConnectorSettings } from '../config/connector-settings';
import type { Flow, SyncDeps, UnitInput } from '../sync';
import type { FeedDefinition, JobDefinition } from '../sync/registry';

/** What an area's hooks may use: the pipeline's deps and the merchant's settings. */
export interface AreaContext {
  deps: SyncDeps;
  settings: ConnectorSettings;
}

/** A synchronous answer to a caller that waits for it (Heartland custom payment webhooks). */
export interface WebhookAnswer {
  status: number;
  body: unknown;
}

export interface FlowArea {
  name: string;
  flows: Flow<any, any>[];
  feeds?: FeedDefinition[];
  jobs?: JobDefinition<any>[];
  /**
   * Units for a Commerce I/O event (events are hints: the flow re-reads the source). Return [] when
   * the event is not for this area. The unit's `eventId` should be the CloudEvent id so duplicate
   * deliveries are recognised.
   */
  unitsForCommerceEvent?(event: ParsedCommerceEvent, ctx: AreaContext): UnitInput[] | Promise<UnitInput[]>;
  /** Units for a Heartland notification (ASSUMED format, heartland.md §3.9): hints only; polling stays the safety net. */
  unitsForHeartlandNotification?(notification: EventNotification, ctx: AreaContext): UnitInput[] | Promise<UnitInput[]>;
  /**
   * Synchronous webhooks under `heartland-webhook/<secret>/<kind>` other than `notification`
   * (e.g. `payment/capture` for gift cards). Return undefined when the kind is not this area's.
   */
  handleHeartlandWebhook?(kind: string, body: unknown, ctx: AreaContext): Promise<WebhookAnswer | undefined>;
}

export function defineArea(area: FlowArea): FlowArea {
  return area;
}
