/**
 * Polling feeds: the safety net under events (DESIGN.md §3). Each feed keeps its high-water mark
 * in `cursor.<feed>` (365 days). The cursor only moves after every unit of a page has a recorded
 * outcome, so a scheduler that dies mid-page polls the same page again; the units are idempotent.
 */
import pLimit from 'p-limit';
import { stateKey } from '../platform/state-key';
import type { StateStore } from '../platform/ports';
import { syncOptions } from './options';
import type { FeedDefinition } from './registry';
import { runUnit, UnitInputError } from './run-unit';
import { UnknownFlowError } from './registry';
import { createTaskContext } from './task-context';
import type { OutcomeName, SyncDeps } from './types';

export const CURSOR_TTL_SECONDS = 365 * 24 * 3600;

export function cursorKey(name: string): string {
  return stateKey('cursor', name);
}

export async function readCursor(state: StateStore, name: string): Promise<string | undefined> {
  return (await state.get<{ value: string }>(cursorKey(name)))?.value;
}

export async function writeCursor(state: StateStore, name: string, value: string, at: number): Promise<void> {
  await state.put(cursorKey(name), { value, at }, { ttlSeconds: CURSOR_TTL_SECONDS });
}

export interface FeedPollSummary {
  feed: string;
  pages: number;
  units: number;
  outcomes: Partial<Record<OutcomeName, number>>;
  /** Units the feed produced that are not valid units of work (a feed bug). */
  invalid: Array<{ unit: string; error: string }>;
  cursor?: string;
  error?: string;
}

/** Polls one feed page after page while time allows, running each page's units through the pipeline. */
export async function pollFeed(feed: FeedDefinition, deps: SyncDeps, deadlineMs: number): Promise<FeedPollSummary> {
  const { state, clock } = deps.platform;
  const options = syncOptions(deps);
  const summary: FeedPollSummary = { feed: feed.name, pages: 0, units: 0, outcomes: {}, invalid: [] };
  const ctx = createTaskContext(deps, { owner: `feed ${feed.name}`, deadlineMs });
  const limit = pLimit(options.schedulerConcurrency);
  let cursor = await readCursor(state, feed.name);
  summary.cursor = cursor;
  try {
    for (;;) {
      const page = await feed.poll(cursor, ctx);
      summary.pages++;
      await Promise.all(
        page.units.map((input) =>
          limit(async () => {
            let outcome;
            try {
              outcome = await runUnit(deps.registry.flow(input.flow), { ...input, trigger: input.trigger ?? 'poll' }, { ...deps, deadlineMs });
            } catch (error) {
              // A malformed unit is a feed bug: report it loudly, but do not let it pin the cursor forever.
              if (!(error instanceof UnitInputError) && !(error instanceof UnknownFlowError)) throw error;
              summary.invalid.push({ unit: JSON.stringify(input).slice(0, 300), error: error.message });
              ctx.logger.error('feed produced an invalid unit', { feed: feed.name, error: error.message });
              return;
            }
            summary.units++;
            summary.outcomes[outcome.outcome] = (summary.outcomes[outcome.outcome] ?? 0) + 1;
          }),
        ),
      );
      // Every unit of the page is recorded (done, skipped, scheduled or dead-lettered): move on.
      if (page.nextCursor !== cursor) await writeCursor(state, feed.name, page.nextCursor, clock.now());
      cursor = page.nextCursor;
      summary.cursor = cursor;
      if (!page.more || deadlineMs - clock.now() < options.minTryBudgetMs * 2) break;
    }
  } catch (error) {
    // The cursor stays where the last fully recorded page left it.
    summary.error = (error as Error).message;
    ctx.logger.error('feed poll failed', { feed: feed.name, error: summary.error });
  }
  return summary;
}
