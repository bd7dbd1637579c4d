/**
 * Which addresses to keep, update in place or add when one side's address book is written into the
 * other's. Addresses are matched by content first (order differs between systems, and the orders
 * area adds order addresses to Heartland customers), then by position; nothing is ever deleted,
 * because a clerk or the shopper may have added an address the other side does not know.
 */
export type AddressStep = { wanted: number; action: 'keep' | 'update'; target: number } | { wanted: number; action: 'create' };

const same = (a: string[] | undefined, b: string[] | undefined) => !!a && !!b && JSON.stringify(a) === JSON.stringify(b);

export function planAddresses(current: string[][], wanted: string[][]): AddressStep[] {
  const used = new Set<number>();
  const steps: Array<AddressStep | undefined> = wanted.map(() => undefined);
  wanted.forEach((tuple, i) => {
    const j = current.findIndex((c, k) => !used.has(k) && same(c, tuple));
    if (j >= 0) {
      used.add(j);
      steps[i] = { wanted: i, action: 'keep', target: j };
    }
  });
  wanted.forEach((_, i) => {
    if (steps[i]) return;
    // The address at the same position that nothing else claimed is the one that was edited.
    if (i < current.length && !used.has(i) && !wanted.some((w, k) => k !== i && same(current[i], w))) {
      used.add(i);
      steps[i] = { wanted: i, action: 'update', target: i };
    } else {
      steps[i] = { wanted: i, action: 'create' };
    }
  });
  return steps as AddressStep[];
}
