/**
 * Which end-to-end checks the soak can hold the connector to: derived from the flows actually
 * registered (lib/connector/areas.ts AREAS), so a capability that has not landed is reported as
 * not checked instead of being passed by default.
 */
import type { FlowArea } from '../../lib/flows/area';

export type CheckName = 'orders' | 'stock' | 'shipments' | 'customers';

export interface RegisteredFlow {
  area: string;
  name: string;
  entity: string;
  direction: string;
}

export interface Coverage {
  flows: RegisteredFlow[];
  /** Flow that each check relies on, when registered. */
  order?: RegisteredFlow;
  stock?: RegisteredFlow;
  shipment?: RegisteredFlow;
  customerToHeartland?: RegisteredFlow;
  customerToCommerce?: RegisteredFlow;
  checks: CheckName[];
  notChecked: string[];
}

export function registeredFlows(areas: readonly FlowArea[]): RegisteredFlow[] {
  return areas.flatMap((a) => a.flows.map((f) => ({ area: a.name, name: f.name, entity: f.entity, direction: f.direction })));
}

export function coverageOf(flows: RegisteredFlow[]): Coverage {
  const find = (test: (f: RegisteredFlow) => boolean) => flows.find(test);
  const order = find((f) => f.entity === 'order' && f.direction === 'commerce-to-heartland' && !/status|cancel|hold|refund|payment/.test(f.name));
  const stock = find((f) => f.direction === 'heartland-to-commerce' && /inventory|stock|source/.test(`${f.name} ${f.entity}`));
  const shipment = find((f) => f.direction === 'heartland-to-commerce' && /shipment/.test(`${f.name} ${f.entity}`));
  const customerToHeartland = find((f) => f.entity === 'customer' && f.direction === 'commerce-to-heartland');
  const customerToCommerce = find((f) => f.entity === 'customer' && f.direction === 'heartland-to-commerce');
  const checks: CheckName[] = [];
  const notChecked: string[] = [];
  if (order) checks.push('orders');
  else notChecked.push('orders: no Commerce → Heartland order flow registered');
  if (stock) checks.push('stock');
  else notChecked.push('stock: no Heartland → Commerce inventory flow registered');
  if (shipment && order) checks.push('shipments');
  else notChecked.push(shipment ? 'shipments: web orders never reach Heartland (no order flow), so nothing is invoiced there' : 'shipments: no shipment flow registered');
  if (customerToHeartland) checks.push('customers');
  else notChecked.push('customers: no Commerce → Heartland customer flow registered');
  return { flows, order, stock, shipment, customerToHeartland, customerToCommerce, checks, notChecked };
}
