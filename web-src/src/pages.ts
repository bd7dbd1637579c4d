import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** The panel's pages, in menu order; names are fixed in CONTRACTS.md. Each page is its own chunk. */
export interface PanelPage {
  key: string;
  name: string;
  component: LazyExoticComponent<ComponentType>;
}

export const PANEL_PAGES: PanelPage[] = [
  { key: 'overview', name: 'Overview', component: lazy(() => import('./pages/Overview')) },
  { key: 'flows', name: 'Flows', component: lazy(() => import('./pages/Flows')) },
  { key: 'activity', name: 'Activity', component: lazy(() => import('./pages/Activity')) },
  { key: 'dead-letters', name: 'Dead letters', component: lazy(() => import('./pages/DeadLetters')) },
  { key: 'mappings', name: 'Mappings', component: lazy(() => import('./pages/Mappings')) },
  { key: 'anomalies', name: 'Anomalies', component: lazy(() => import('./pages/Anomalies')) },
  { key: 'settings', name: 'Settings', component: lazy(() => import('./pages/Settings')) },
  { key: 'reports', name: 'Reports', component: lazy(() => import('./pages/Reports')) },
  { key: 'insights', name: 'Insights', component: lazy(() => import('./pages/Insights')) },
];

/** Opened by the order-grid mass action "Resend to Heartland" (lib/config/admin-ui.ts path), not a tab. */
export const RESEND_ORDERS_HASH = '#/orders/resend';
export const ResendOrdersPage = lazy(() => import('./pages/ResendOrders'));

/** `#/dead-letters` -> 'dead-letters'; anything unknown opens the Overview. */
export function pageKeyFromHash(hash: string): string {
  const key = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return PANEL_PAGES.some((p) => p.key === key) ? key : 'overview';
}
