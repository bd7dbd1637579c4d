import { useCallback, useEffect, useRef, useState } from 'react';

export type ResourceState<T> =
  | { status: 'loading'; data?: T }
  | { status: 'error'; error: Error; data?: T }
  | { status: 'ready'; data: T };

/**
 * Loads something from admin-api and reloads when `deps` change. A slower earlier request never
 * overwrites a newer one (filters change faster than the network answers).
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): ResourceState<T> & { reload: () => void } {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((previous) => ({ status: 'loading', data: previous.data }));
    load().then(
      (data) => { if (mine === generation.current) setState({ status: 'ready', data }); },
      (error: unknown) => {
        if (mine === generation.current) setState((previous) => ({ status: 'error', error: error instanceof Error ? error : new Error(String(error)), data: previous.data }));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
