/**
 * Flows as the panel names them: label and direction for every registered flow. Labels are the
 * merchant's words; a flow this table does not know yet still shows, named after itself.
 */
import type { FlowDirection } from './contract';
import type { Flow, SyncDeps } from '../sync';
import { HttpError } from '../runtime/http-error';

const LABELS: Record<string, string> = {
  order: 'Web orders to Heartland',
  'order-status': 'Order status to Magento',
  shipment: 'Shipments to Magento',
  inventory: 'Stock to Magento',
  product: 'Products to Magento',
  customer: 'Customers',
  'customer-to-heartland': 'Customers to Heartland',
  'customer-to-commerce': 'Customers to Magento',
  refund: 'Refunds',
  'gift-card': 'Gift cards',
  payment: 'Payments',
  reconciliation: 'Reconciliation report',
};

export function flowLabel(name: string): string {
  if (LABELS[name]) return LABELS[name];
  const words = name.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function flowDirection(flow: Flow<unknown, unknown>): FlowDirection {
  return flow.direction;
}

/** The registered flow, or a 404 naming the flows there are. */
export function registeredFlow(deps: SyncDeps, name: string, field = 'flow'): Flow<unknown, unknown> {
  const flow = deps.registry.flows().find((f) => f.name === name);
  if (!flow) {
    const known = deps.registry.flows().map((f) => f.name);
    throw new HttpError(404, 'not_found', `${field}: no flow named "${name}"; flows: ${known.join(', ') || 'none registered'}`, field);
  }
  return flow;
}
