/**
 * Structured logger: one JSON object per line (`time`, `level`, `name`, `message`, then fields),
 * every line passed through redact.ts first, so no caller can leak a card number or credential by
 * logging a payload or an error. Runtime captures stdout as activation logs; the local host does too.
 *
 * Why stdout and not @adobe/aio-lib-core-logging by default: its winston provider only writes
 * formatted text (`<time> [<label>] <level>: <message>`), which would break "one JSON object per
 * line" for log tooling. It is offered as an opt-in sink (`createAioLoggingSink`) that writes the
 * JSON line as its message, for deployments that want aio's transports and AIO_LOG_LEVEL.
 */
import createAioLogger from '@adobe/aio-lib-core-logging';
import type { Clock, Logger, LogFields } from './ports';
import { systemClock } from './ports';
import { redactSecrets, redactText } from './redact';
import type { LogLevel } from './log-level';
import { levelEnabled, parseLogLevel } from './log-level';

/** Receives one finished, redacted JSON line (without a trailing newline). */
export type LogSink = (line: string, level: LogLevel) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Writes each JSON line through aio-lib-core-logging (winston, console); aio prefixes its own time/label. */
export function createAioLoggingSink(name: string): LogSink {
  // Our own level filter runs first; let aio pass everything it is handed unless AIO_LOG_LEVEL says otherwise.
  const aio = createAioLogger(name, { level: 'debug' });
  return (line, level) => aio[level](line);
}

export interface LoggerOptions {
  name: string;
  /** Lowest level written; defaults to LOG_LEVEL from the environment, else `info`. */
  level?: LogLevel;
  sink?: LogSink;
  /** Fields added to every line (e.g. `action`, `correlationId`). */
  fields?: LogFields;
  clock?: Clock;
}

const CORE_KEYS = new Set(['time', 'level', 'name', 'message']);

export function createLogger(options: LoggerOptions): Logger {
  const threshold = options.level ?? parseLogLevel(process.env.LOG_LEVEL);
  const sink = options.sink ?? stdoutSink;
  const clock = options.clock ?? systemClock;

  const make = (base: LogFields): Logger => {
    const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (!levelEnabled(level, threshold)) return;
      const time = new Date(clock.now()).toISOString();
      let text: string;
      try {
        const line: Record<string, unknown> = { time, level, name: options.name, message: redactText(String(message)) };
        const extra = redactSecrets({ ...base, ...fields }) as Record<string, unknown>;
        // A field called "message" or "level" must not overwrite the line's own; keep it under another name.
        for (const [key, value] of Object.entries(extra)) line[CORE_KEYS.has(key) ? `field_${key}` : key] = value;
        text = JSON.stringify(line);
      } catch (error) {
        // A field with a throwing getter or toJSON: still say what happened, without the fields.
        text = JSON.stringify({ time, level, name: options.name, message: redactText(String(message)), logError: redactText(String(error)) });
      }
      try {
        sink(text, level);
      } catch {
        // Logging must never break the unit of work it describes.
      }
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (fields: LogFields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}
