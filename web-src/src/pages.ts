import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** The panel's pages, in menu order; names are fixed in CONTRACTS.md. Each page is its own chunk. */
export interface PanelPage {
  key: string;
  name: string;
  component: LazyExoticComponent<ComponentType>;
  /** Starts downloading the page's chunk (the same one `component` renders) without rendering it. */
  preload: () => Promise<unknown>;
}

function page(key: string, name: string, load: () => Promise<{ default: ComponentType }>): PanelPage {
  return { key, name, component: lazy(load), preload: load };
}

export const PANEL_PAGES: PanelPage[] = [
  page('overview', 'Overview', () => import('./pages/Overview')),
  page('flows', 'Flows', () => import('./pages/Flows')),
  page('activity', 'Activity', () => import('./pages/Activity')),
  page('dead-letters', 'Dead letters', () => import('./pages/DeadLetters')),
  page('mappings', 'Mappings', () => import('./pages/Mappings')),
  page('anomalies', 'Anomalies', () => import('./pages/Anomalies')),
  page('settings', 'Settings', () => import('./pages/Settings')),
  page('reports', 'Reports', () => import('./pages/Reports')),
  page('insights', 'Insights', () => import('./pages/Insights')),
];

/** Opened by the order-grid mass action "Resend to Heartland" (lib/config/admin-ui.ts path), not a tab. */
export const RESEND_ORDERS_HASH = '#/orders/resend';
export const ResendOrdersPage = lazy(() => import('./pages/ResendOrders'));

/** `#/dead-letters` -> 'dead-letters'; anything unknown opens the Overview. */
export function pageKeyFromHash(hash: string): string {
  const key = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return PANEL_PAGES.some((p) => p.key === key) ? key : 'overview';
}

/**
 * Downloads the chunk of the page the address opens while the panel is still starting (attaching
 * to the Commerce admin, rendering the shell), so page code and page data load side by side instead
 * of one after the other. A failed preload is ignored: rendering the page retries and shows the error.
 */
export function preloadStartPage(hash: string): void {
  if (hash.startsWith(RESEND_ORDERS_HASH)) return;
  const start = PANEL_PAGES.find((p) => p.key === pageKeyFromHash(hash));
  start?.preload().catch(() => undefined);
}
