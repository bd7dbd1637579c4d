/**
 * Errors a flow throws to say how a failure should be treated. Anything else is classified by
 * classify.ts (UpstreamError by its status, zod errors as terminal validation failures...).
 */
import type { Upstream } from './types';

interface FlowErrorDetails {
  /** Path of the field at fault in the source or mapped payload, e.g. `items.2.sku`. */
  field?: string;
  value?: unknown;
  system?: string;
  code?: string;
}

/** A failure that no retry will fix (unknown SKU, invalid email): it goes to dead letters at once. */
export class TerminalError extends Error {
  readonly retryable = false as const;
  readonly field?: string;
  readonly value?: unknown;
  readonly system?: string;
  readonly code?: string;
  constructor(message: string, details: FlowErrorDetails = {}) {
    super(message);
    this.name = 'TerminalError';
    Object.assign(this, details);
  }
}

/** A mapping rule could not produce a value: terminal, with the field so the mapping can be fixed. */
export class MappingError extends TerminalError {
  constructor(field: string, message: string, value?: unknown) {
    super(`${field}: ${message}`, { field, value, code: 'mapping' });
    this.name = 'MappingError';
  }
}

/** A failure expected to clear by itself (the entity is not visible yet, a lock is held upstream). */
export class RetryableError extends Error {
  readonly retryable = true as const;
  readonly retryAfterMs?: number;
  readonly system?: string;
  readonly code?: string;
  constructor(message: string, details: { retryAfterMs?: number; system?: string; code?: string } = {}) {
    super(message);
    this.name = 'RetryableError';
    Object.assign(this, details);
  }
}

/** The upstream's circuit breaker is open (here or, per state, in another activation). */
export class CircuitOpenError extends Error {
  readonly upstream: Upstream;
  readonly openUntil: number;
  constructor(upstream: Upstream, openUntil: number) {
    super(`${upstream} circuit open until ${new Date(openUntil).toISOString()} after repeated failures`);
    this.name = 'CircuitOpenError';
    this.upstream = upstream;
    this.openUntil = openUntil;
  }
}
