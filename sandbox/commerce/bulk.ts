/**
 * Asynchronous and bulk web API (commerce.md §2.11): `/async/V1/…` takes one body, `/async/bulk/V1/…`
 * an array of bodies; both answer 202 with `{bulk_uuid, request_items, errors:false}` straight away
 * and run the operations afterwards (the message-queue consumer), recording each result for
 * `GET /V1/bulk/{uuid}/status`, `/detailed-status` and `/operation-status/{status}`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RequestContext, SimCore } from './context';
import { MagentoError, inputError, noSuchEntity } from './errors';
import { magentoTime, type Rec } from './state';

export interface BulkOperationRunner {
  /** Runs one operation through the synchronous route; throws MagentoError on failure. */
  (body: unknown): unknown;
}

export function acceptBulk(
  sim: SimCore,
  topic: string,
  bodies: unknown[],
  run: (body: unknown) => unknown,
  delayMs: number,
): Rec {
  const uuid = randomUUID();
  const operations = bodies.map((body, id) => ({
    id,
    status: 4, // open
    result_message: null as string | null,
    error_code: null as number | null,
    serialized_data: JSON.stringify(body),
    result_serialized_data: null as string | null,
    topic_name: topic,
  }));
  sim.store.state.bulks[uuid] = {
    bulk_id: uuid,
    description: `Topic ${topic}`,
    start_time: magentoTime(sim.now()),
    user_type: 1, // integration
    user_id: 1,
    operation_count: operations.length,
    operations,
  };
  sim.store.changed();
  const process = () => {
    for (const op of operations) {
      try {
        const result = run(JSON.parse(op.serialized_data));
        op.status = 1;
        op.result_message = `Service execution success ${topic}`;
        op.result_serialized_data = JSON.stringify(result);
      } catch (err) {
        if (err instanceof MagentoError) {
          op.status = err.status >= 500 ? 2 : 3; // retriable vs needs a change
          op.result_message = substitute(err.message, err.parameters);
          op.error_code = err.status;
        } else {
          // A simulator bug must not take the server down from a timer: record it as a retriable failure.
          console.error('[commerce-sim] bulk operation failed', err);
          op.status = 2;
          op.result_message = 'Internal Error. Details are available in Magento log file.';
          op.error_code = 500;
        }
      }
    }
    sim.store.changed();
  };
  setTimeout(process, delayMs);
  return {
    bulk_uuid: uuid,
    request_items: bodies.map((body, id) => ({ id, data_hash: createHash('sha256').update(JSON.stringify(body)).digest('hex'), status: 'accepted' })),
    errors: false,
  };
}

function substitute(message: string, parameters: unknown): string {
  if (Array.isArray(parameters)) return message.replace(/%(\d+)/g, (m, n) => (parameters[Number(n) - 1] !== undefined ? String(parameters[Number(n) - 1]) : m));
  if (parameters && typeof parameters === 'object') return message.replace(/%([A-Za-z_]\w*)/g, (m, k) => (k in parameters ? String((parameters as Rec)[k]) : m));
  return message;
}

function getBulk(ctx: RequestContext, sim: SimCore): Rec {
  const bulk = sim.store.state.bulks[ctx.params.bulkUuid ?? ''];
  if (!bulk) throw noSuchEntity('bulkUuid', ctx.params.bulkUuid);
  return bulk;
}

export function bulkStatus(ctx: RequestContext, sim: SimCore): Rec {
  const { operations, ...bulk } = getBulk(ctx, sim);
  return { ...bulk, operations_list: (operations as Rec[]).map((o) => ({ id: o.id, status: o.status, result_message: o.result_message, error_code: o.error_code })) };
}

export function bulkDetailedStatus(ctx: RequestContext, sim: SimCore): Rec {
  const { operations, ...bulk } = getBulk(ctx, sim);
  return { ...bulk, operations_list: (operations as Rec[]).map((o) => ({ ...o, bulk_uuid: bulk.bulk_id })) };
}

export function bulkOperationCount(ctx: RequestContext, sim: SimCore): number {
  const status = Number(ctx.params.status);
  if (!Number.isInteger(status) || status < 1 || status > 5) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'status', value: String(ctx.params.status) });
  return (getBulk(ctx, sim).operations as Rec[]).filter((o) => o.status === status).length;
}
