/**
 * Retries inside one invocation (DESIGN.md §6): a few tries of a unit's load→write pass with full
 * jitter, honouring `Retry-After`, and never starting a try that cannot finish before the
 * invocation's deadline. Anything longer becomes a persisted retry (retry-schedule.ts).
 *
 * cockatiel decides whether to try again (error filter) and how many times; the waiting itself
 * goes through the Clock port so the deadline arithmetic and the tests see one notion of time.
 */
import { retry, handleWhen } from 'cockatiel';
import { fullJitterDelay } from '../platform/http';
import type { Clock } from '../platform/ports';
import type { ErrorInfo } from './types';

export interface TryBudget {
  clock: Clock;
  /** Epoch ms by which the invocation must end. */
  deadlineMs: number;
  /** Tries in total, the first included. */
  maxTries: number;
  baseMs: number;
  capMs: number;
  /** A try is only started when at least this much time is left after the wait. */
  minTryBudgetMs: number;
  random: () => number;
}

/** The wait before try number `tryNo + 1`: the server's Retry-After when given, else full jitter. */
export function delayBeforeNextTry(info: ErrorInfo, triesDone: number, budget: Pick<TryBudget, 'baseMs' | 'capMs' | 'random'>): number {
  if (info.retryAfterMs !== undefined && info.retryAfterMs >= 0) return info.retryAfterMs;
  return fullJitterDelay(triesDone, budget.baseMs, budget.capMs, budget.random);
}

export class TriesExhaustedError extends Error {
  override readonly cause: unknown;
  readonly tries: number;
  constructor(cause: unknown, tries: number) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TriesExhaustedError';
    this.cause = cause;
    this.tries = tries;
  }
}

/**
 * Runs `attempt` until it succeeds, a failure is terminal, tries run out or the budget would be
 * overrun. Failures surface as TriesExhaustedError carrying the last error and the try count.
 */
export async function withInvocationRetries<T>(
  attempt: (tryNo: number) => Promise<T>,
  classify: (error: unknown) => ErrorInfo,
  budget: TryBudget,
): Promise<{ value: T; tries: number }> {
  let tries = 0;
  let waitMs = 0;
  const policy = retry(
    handleWhen((error) => {
      const info = classify(error);
      // Circuit-open failures are scheduled at once: trying again now is exactly what the breaker prevents.
      if (!info.retryable || info.reason === 'circuit-open') return false;
      const wait = delayBeforeNextTry(info, tries, budget);
      if (budget.clock.now() + wait + budget.minTryBudgetMs > budget.deadlineMs) return false;
      waitMs = wait;
      return true;
    }),
    { maxAttempts: Math.max(0, budget.maxTries - 1) },
  );
  try {
    const value = await policy.execute(async () => {
      if (waitMs > 0) await budget.clock.sleep(waitMs);
      waitMs = 0;
      tries++;
      return attempt(tries);
    });
    return { value, tries };
  } catch (error) {
    throw new TriesExhaustedError(error, tries);
  }
}
