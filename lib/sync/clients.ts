/**
 * Hands flows, feeds and jobs their upstream clients: built per unit of work (so each request
 * carries that unit's correlation id as a header) and wrapped by the upstream's circuit breaker.
 */
import type { Logger } from '../platform/ports';
import type { CircuitBreakers } from './breaker';
import { TerminalError } from './errors';
import type { ClientFactories, ClientOf, Upstream } from './types';

export function createClientAccessor(input: {
  factories: ClientFactories | undefined;
  breakers: CircuitBreakers;
  correlationId: string;
  logger: Logger;
  /** Upstreams the caller declared; using another one is a definition bug, reported as terminal. */
  declared?: readonly Upstream[];
  owner: string;
}): <U extends Upstream>(upstream: U) => ClientOf<U> {
  const cache = new Map<Upstream, unknown>();
  return <U extends Upstream>(upstream: U): ClientOf<U> => {
    if (input.declared && !input.declared.includes(upstream)) {
      throw new TerminalError(`${input.owner} uses the ${upstream} client but does not list it in upstreams`, { code: 'definition' });
    }
    if (!cache.has(upstream)) {
      const factory = input.factories?.[upstream] as ((scope: { correlationId: string; logger: Logger }) => unknown) | undefined;
      if (!factory) throw new TerminalError(`no ${upstream} client is configured (settings incomplete?)`, { system: upstream, code: 'not-configured' });
      cache.set(upstream, input.breakers.wrap(upstream, factory({ correlationId: input.correlationId, logger: input.logger })));
    }
    return cache.get(upstream) as ClientOf<U>;
  };
}
