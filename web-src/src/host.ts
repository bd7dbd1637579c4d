/**
 * Where the panel runs and who it acts for. Inside the Commerce admin (an iframe opened by the
 * Admin UI SDK, commerce.md §5.2) the IMS token and org come from the host's sharedContext; in the
 * sandbox the panel is a plain page and uses the sandbox credentials the local host accepts.
 */
import { ADMIN_UI_EXTENSION_ID } from '../../lib/config/admin-ui';

export interface PanelHost {
  kind: 'commerce-admin' | 'standalone';
  token: string;
  orgId: string;
  /** 'auto' follows prefers-color-scheme. */
  colorScheme: 'light' | 'dark' | 'auto';
  /** Grid rows a mass action was started on (mass-action sharedContext `selectedIds`), else empty. */
  selectedIds: string[];
}

/** The local Runtime host accepts any bearer token and org header (appbuilder.md §5.2). */
export const SANDBOX_CREDENTIALS = { token: 'sandbox-admin-token', orgId: 'sandbox-org@AdobeOrg' } as const;

const ATTACH_TIMEOUT_MS = 10_000;

function insideFrame(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    // A cross-origin parent throws on access: that is exactly the admin iframe case.
    return true;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}

export async function connectToHost(): Promise<PanelHost> {
  if (!insideFrame()) return { kind: 'standalone', ...SANDBOX_CREDENTIALS, colorScheme: 'auto', selectedIds: idsFromHash(window.location.hash) };
  // Loaded only inside the admin: the sandbox never pays for the host bridge.
  const { register } = await import('@adobe/uix-guest');
  // register() both announces the extension (the menu registration flow) and connects to the
  // host; its sharedContext carries imsToken and imsOrgId for menu pages.
  const guest = await withTimeout(register({ id: ADMIN_UI_EXTENSION_ID, methods: {} }), ATTACH_TIMEOUT_MS, 'The Commerce admin');
  const context = guest.sharedContext as unknown as { get(key: string): unknown };
  const token = context.get('imsToken');
  const orgId = context.get('imsOrgId');
  if (typeof token !== 'string' || token === '' || typeof orgId !== 'string' || orgId === '') {
    throw new Error('The Commerce admin did not share an IMS token and organization; sign in to the admin with Adobe IMS.');
  }
  // ASSUMED: the Commerce admin has no dark theme and shares no colour scheme today; follow one if it ever does.
  const scheme = context.get('colorScheme');
  const selected = context.get('selectedIds');
  const selectedIds = Array.isArray(selected) ? selected.map(String) : [];
  return { kind: 'commerce-admin', token, orgId, colorScheme: scheme === 'dark' ? 'dark' : 'light', selectedIds };
}

/** Standalone, a mass-action page takes its rows from the hash (`#/orders/resend?ids=1,2`) so it can be tried in the sandbox. */
export function idsFromHash(hash: string): string[] {
  const query = hash.split('?')[1] ?? '';
  return (new URLSearchParams(query).get('ids') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
}
