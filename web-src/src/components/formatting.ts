/** How numbers, money and times read on screen (the admin's locale, UTC shown where it matters). */
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const moneyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatNumber = (n: number) => numberFormat.format(n);
export const formatMoney = (n: number | null) => (n === null ? '—' : moneyFormat.format(n));
export const formatPercent = (share: number) => percentFormat.format(share);
export const formatDateTime = (iso: string | null) => (iso ? dateTimeFormat.format(new Date(iso)) : 'never');

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "5 min ago" style, for last-sync times on tiles. */
export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export const OUTCOME_LABELS = { done: 'Done', skipped: 'Skipped', retryScheduled: 'Retry scheduled', deadLettered: 'Dead-lettered' } as const;
export const OUTCOME_VARIANTS = { done: 'positive', skipped: 'neutral', retryScheduled: 'notice', deadLettered: 'negative' } as const;
