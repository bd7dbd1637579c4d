import { useEffect, useState } from 'react';

/**
 * The value once it has stopped changing for `ms`. Date pickers change once per typed segment;
 * fetching a report for each intermediate date would only load the server and flicker the page.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
