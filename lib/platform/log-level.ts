/** Log levels in increasing severity; `LOG_LEVEL` picks the lowest one written. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** The level from an env-like value (case-insensitive; `warning` accepted), or the fallback. */
export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const normalized = value?.trim().toLowerCase();
  if (normalized === 'warning') return 'warn';
  return isLogLevel(normalized) ? normalized : fallback;
}

export function levelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}
