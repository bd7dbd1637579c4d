/**
 * Magento-shaped errors (commerce.md §1.5): `{message, parameters}` with `%1`/`%name` placeholders
 * left for the client to substitute, optional `errors[]`. The status follows ErrorProcessor:
 * NoSuchEntity 404, Authorization/Authentication 401, other LocalizedException 400.
 */
export type ErrorParameters = unknown[] | Record<string, unknown>;

export class MagentoError extends Error {
  readonly status: number;
  readonly parameters?: ErrorParameters;
  readonly errors?: { message: string; parameters?: ErrorParameters }[];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    message: string,
    parameters?: ErrorParameters,
    extra?: { errors?: { message: string; parameters?: ErrorParameters }[]; headers?: Record<string, string> },
  ) {
    super(message);
    this.status = status;
    this.parameters = parameters;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message };
    if (this.errors) body.errors = this.errors;
    if (this.parameters !== undefined) body.parameters = this.parameters;
    return body;
  }
}

/** InputException / LocalizedException → 400. */
export const inputError = (message: string, parameters?: ErrorParameters, errors?: MagentoError['errors']) =>
  new MagentoError(400, message, parameters, { errors });

/** A missing required service parameter (ServiceInputProcessor). ASSUMED wording of 2.4. */
export const requiredField = (fieldName: string) => inputError('"%fieldName" is required. Enter and try again.', { fieldName });

/** An invalid value for a field (InputException::invalidFieldValue). */
export const invalidField = (fieldName: string, value: unknown) =>
  inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName, value: String(value) });

export const noSuchEntity = (fieldName: string, fieldValue: unknown) =>
  new MagentoError(404, 'No such entity with %fieldName = %fieldValue', { fieldName, fieldValue });

/** OrderRepository-style "missing entity" (order, invoice, shipment, credit memo, order item). */
export const entityNotFound = () => new MagentoError(404, "The entity that was requested doesn't exist. Verify the entity and try again.");

export const productNotFound = () =>
  new MagentoError(404, "The product that was requested doesn't exist. Verify the product and try again.");

export const notAuthorized = (resources: string) =>
  new MagentoError(401, "The consumer isn't authorized to access %resources.", { resources });

export const noRoute = () => new MagentoError(404, 'Request does not match any route.');
