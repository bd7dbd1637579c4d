/** The context feeds and jobs run with: platform ports, breaker-wrapped clients, a correlation id. */
import { randomUUID } from 'node:crypto';
import { sharedCircuitBreakers, type CircuitBreakers } from './breaker';
import { createClientAccessor } from './clients';
import { syncOptions } from './options';
import type { TaskContext } from './registry';
import type { SyncDeps } from './types';

export function breakersOf(deps: SyncDeps): CircuitBreakers {
  const options = syncOptions(deps);
  return (
    deps.breakers ??
    sharedCircuitBreakers({ state: deps.platform.state, clock: deps.platform.clock, logger: deps.platform.logger, threshold: options.breakerThreshold, openMs: options.breakerOpenMs })
  );
}

export function createTaskContext(deps: SyncDeps, input: { owner: string; deadlineMs: number; correlationId?: string }): TaskContext {
  const correlationId = input.correlationId ?? randomUUID();
  const logger = deps.platform.logger.child({ correlationId, task: input.owner });
  return {
    logger,
    clock: deps.platform.clock,
    state: deps.platform.state,
    files: deps.platform.files,
    correlationId,
    client: createClientAccessor({ factories: deps.clients, breakers: breakersOf(deps), correlationId, logger, owner: input.owner }),
    remainingMs: () => Math.max(0, input.deadlineMs - deps.platform.clock.now()),
  };
}
