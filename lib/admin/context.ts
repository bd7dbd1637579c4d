/**
 * What every admin-api route handler receives: the connector built from the action inputs (deps,
 * clients, registry, settings), who is acting, and the optional capabilities other areas export
 * (order resend, inventory reconciliation, release of a held stock batch). Handlers never read
 * inputs or build clients themselves.
 */
import type { Connector } from '../connector/connector';
import type { ClientTuning } from '../connector/clients';
import type { Logger } from '../platform/ports';
import type { SyncDeps } from '../sync';

/**
 * Capabilities owned by flow areas. They are optional so the admin API works (with the generic
 * pipeline fallbacks) before or without the area that provides them.
 */
export interface AdminHooks {
  /** Orders area: re-send these Magento orders to Heartland (order grid mass action). */
  resendOrders?: (ids: string[], deps: SyncDeps) => Promise<unknown>;
  /** Inventory area: start a full stock reconciliation job. */
  startInventoryReconciliation?: (deps: SyncDeps) => Promise<unknown>;
  /** Inventory area: push a held stock batch and record the approval (it approves the anomaly itself). */
  applyHeldBatch?: (anomalyId: string, deps: SyncDeps, decidedBy: string) => Promise<unknown>;
  /** Orders area: approve a fraud hold and send the held order to Heartland. */
  releaseHeldOrder?: (anomalyId: string, deps: SyncDeps, decision: { by: string; note?: string }) => Promise<unknown>;
  /** Products area: approve a held price change and write it to Magento now. */
  releaseHeldPriceChange?: (anomalyId: string, deps: SyncDeps, decision: { by: string; note?: string }) => Promise<unknown>;
}

export interface AdminContext {
  connector: Connector;
  deps: SyncDeps;
  /** Action inputs: connection settings and secrets. Never echo values back. */
  inputs: Record<string, string>;
  /** Who acts, for mapping history and anomaly decisions (the IMS org; the token is not decoded). */
  actor: string;
  correlationId: string;
  logger: Logger;
  hooks: AdminHooks;
  /** Client tuning for calls the panel waits on (connection tests): one try, short timeout. */
  interactiveTuning: ClientTuning;
}
