/** Dead letter routes: list, detail, replay (ids, a flow, or all), discard; pipeline records in contract shape. */
import pLimit from 'p-limit';
import type { DeadLetterDetail, DeadLetterSummary, ReplayRequest, ReplayResponse } from './contract';
import {
  discardDeadLetter,
  getDeadLetter,
  listDeadLetters,
  replayAll,
  replayDeadLetter,
  type DeadLetter,
  type DeadLetterStatus,
  type UnitOutcome,
} from '../sync';
import { deadLetterKey } from '../sync/dead-letters';
import type { AdminContext } from './context';
import { errorDetail } from './activity';
import { contractOutcome } from './outcomes';

export function deadLetterSummary(d: DeadLetter): DeadLetterSummary {
  const summary: DeadLetterSummary = {
    id: d.id,
    flow: d.flow,
    key: d.key,
    entityId: d.key,
    error: d.error,
    attempts: Math.max(1, d.attempts),
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    status: d.status,
  };
  if (d.field) summary.field = d.field;
  return summary;
}

export async function listDeadLetterSummaries(query: { flow?: string; status?: DeadLetterStatus }, ctx: AdminContext): Promise<DeadLetterSummary[]> {
  return (await listDeadLetters(query, ctx.deps)).map(deadLetterSummary);
}

export async function deadLetterDetail(id: string, ctx: AdminContext): Promise<DeadLetterDetail> {
  const { summary, payload } = await getDeadLetter(id, ctx.deps);
  const error = payload?.error ?? { message: summary.error, field: summary.field, system: summary.system, status: summary.httpStatus };
  return {
    summary: deadLetterSummary(summary),
    sourcePayload: payload?.source ?? null,
    mappedPayload: payload?.mapped ?? null,
    error: errorDetail(error),
  };
}

function messageOf(outcome: UnitOutcome): string | undefined {
  if (outcome.outcome === 'dead-lettered') return outcome.error.message;
  if (outcome.outcome === 'retry-scheduled') return outcome.error?.message ?? outcome.reason;
  if (outcome.outcome === 'skipped') return [outcome.reason, outcome.detail].filter(Boolean).join(': ');
  return outcome.targetId ? `written as ${outcome.targetId}` : undefined;
}

/**
 * A dead letter that is settled (discarded, or replayed and no longer failing) keeps its summary
 * for 90 days, but its payload file — the source and mapped records, with customer names and
 * addresses — has no further use and is deleted. Checked against the summary as it is now, so a
 * unit that failed again meanwhile (status back to open, fresh payload) keeps its file. A failed
 * delete is logged, never turned into a failed discard or replay.
 */
async function dropSettledPayload(id: string, ctx: AdminContext): Promise<void> {
  const dot = id.indexOf('.');
  const { state, files } = ctx.deps.platform;
  try {
    const summary = await state.get<DeadLetter>(deadLetterKey(id.slice(0, dot), id.slice(dot + 1)));
    if (!summary || summary.status === 'open') return;
    await files.delete(summary.payloadPath);
  } catch (error) {
    ctx.logger.warn('dead letter payload not deleted', { id, error: (error as Error).message });
  }
}

export async function replay(request: ReplayRequest, ctx: AdminContext): Promise<ReplayResponse> {
  if (request.ids) {
    // Unknown ids answer 404 before anything runs, so a typo never half-replays a selection.
    for (const id of request.ids) await getDeadLetter(id, ctx.deps);
    const limit = pLimit(4);
    const results = await Promise.all(
      request.ids.map((id) =>
        limit(async () => {
          const outcome = await replayDeadLetter(id, ctx.deps);
          if (outcome.outcome !== 'dead-lettered') await dropSettledPayload(id, ctx);
          const message = messageOf(outcome);
          return { id, outcome: contractOutcome(outcome.outcome), ...(message ? { message } : {}) };
        }),
      ),
    );
    return { results };
  }
  const { results, notAttempted } = await replayAll({ flow: request.flow }, ctx.deps);
  const settled = results.filter((r) => r.outcome !== undefined && r.outcome !== 'dead-lettered');
  const cleanup = pLimit(8);
  await Promise.all(settled.map((r) => cleanup(() => dropSettledPayload(r.id, ctx))));
  return {
    results: [
      // A replay that threw left its dead letter in place: it is still dead-lettered, with the reason.
      ...results.map((r) => ({ id: r.id, outcome: contractOutcome(r.outcome ?? 'dead-lettered'), ...(r.message ? { message: r.message } : {}) })),
      ...notAttempted.map((id) => ({ id, outcome: contractOutcome('dead-lettered'), message: 'not replayed: out of time in this request; replay again' })),
    ],
  };
}

export async function discard(id: string, reason: string, ctx: AdminContext): Promise<{ id: string; status: 'discarded' }> {
  const updated = await discardDeadLetter(id, reason, ctx.deps);
  await dropSettledPayload(updated.id, ctx);
  return { id: updated.id, status: 'discarded' };
}
