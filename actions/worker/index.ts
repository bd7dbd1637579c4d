/** One chunk of a large job, invoked non-blocking by the scheduler or admin-api (fan-out). */
import { z } from 'zod';
import { createConnector } from '../../lib/connector';
import { defineAction, jsonResponse } from '../../lib/runtime';
import { runWorkerChunk } from '../../lib/sync';

export const main = defineAction({
  name: 'connector/worker',
  // runWorkerChunk validates the chunk itself and names the bad field.
  payload: z.record(z.string(), z.unknown()),
  handle: async (params, context) => {
    const connector = createConnector({ inputs: context.inputs });
    return jsonResponse(await runWorkerChunk(params, connector.deps));
  },
});
