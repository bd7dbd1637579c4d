/**
 * An error an action means to answer with: an HTTP status, a stable machine code, a message a
 * merchant or integration engineer can act on, and the request field at fault when there is one.
 * Anything thrown that is not an HttpError is treated as unexpected (500, no details leaked).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}
