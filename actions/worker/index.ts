/** One chunk of a large job, invoked non-blocking by the scheduler or admin-api (fan-out). */
import { z } from 'zod';
import { HttpError, defineAction } from '../../lib/runtime';

const chunk = z.object({
  job: z.string({ error: 'job is required: the kind of work this chunk belongs to' }).min(1, 'job must not be empty'),
  chunk: z.unknown().optional(),
});

export const main = defineAction({
  name: 'connector/worker',
  payload: chunk,
  handle: (work) => {
    // Job kinds are added by the flows; until then every kind is unknown and answered as such.
    throw new HttpError(422, 'unknown_job', `no worker handles job "${work.job}" yet`, 'job');
  },
});
