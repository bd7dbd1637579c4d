/**
 * Seeded randomness for demo traffic and the soak: the same seed gives the same workload, so a
 * soak failure can be replayed exactly.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: tiny and fast; quality is ample for picking SKUs and quantities. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T,>(list: readonly T[]) => {
      if (list.length === 0) throw new Error('cannot pick from an empty list');
      return list[Math.floor(next() * list.length)]!;
    },
    chance: (p) => next() < p,
  };
}
