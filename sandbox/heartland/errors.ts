/** An error the simulator answers with Heartland's error body `{error, message, details}` (§2.5). */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Validation failure with per-field messages. Status 422 is ASSUMED (S6 only; §2.5). */
export function validationError(details: Record<string, string[]>, message = 'Validation failed'): SimError {
  const fields = Object.keys(details);
  return new SimError(422, 'validation_error', fields.length ? `${message}: ${fields.map((f) => `${f} ${details[f][0]}`).join('; ')}` : message, details);
}

export function notFound(what: string): SimError {
  return new SimError(404, 'not_found', `${what} not found`);
}
