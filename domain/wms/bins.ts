/**
 * Bin codes name a place on the shelves: `A-03-02-1` is zone A, aisle 3, shelf (bay) 2, level 1.
 * A picker walks zone by zone, enters each aisle from alternating ends (the serpentine route), and
 * takes a bay's levels bottom to top; sorting a pick list by this route avoids walking back.
 */
export interface BinAddress {
  code: string;
  zone: string;
  aisle: number;
  shelf: number;
  level: number;
}

const BIN_PATTERN = /^([A-Za-z]+)-(\d{1,4})-(\d{1,4})-(\d{1,3})$/;

export function parseBin(code: string): BinAddress | null {
  const match = BIN_PATTERN.exec(code.trim());
  if (!match) return null;
  const [, zone, aisle, shelf, level] = match as unknown as [string, string, string, string, string];
  return { code, zone: zone.toUpperCase(), aisle: Number(aisle), shelf: Number(shelf), level: Number(level) };
}

export function isBinCode(code: string): boolean {
  return parseBin(code) !== null;
}

/**
 * Orders bins along the walking route. Aisles alternate direction in the order they are visited, so
 * the picker never walks an aisle twice; bins that do not parse (and missing bins) come last.
 */
export function walkOrder<T>(items: readonly T[], binOf: (item: T) => string | null): T[] {
  const parsed = items.map((item, index) => {
    const bin = binOf(item);
    return { item, index, bin, address: bin ? parseBin(bin) : null };
  });
  const aisles = [
    ...new Set(
      parsed
        .filter((p) => p.address)
        .map((p) => `${p.address!.zone}\u0000${String(p.address!.aisle).padStart(4, '0')}`),
    ),
  ].sort();
  const visit = new Map<string, number>();
  let zone = '';
  let turn = 0;
  for (const aisle of aisles) {
    const [z] = aisle.split('\u0000');
    if (z !== zone) {
      zone = z!;
      turn = 0;
    }
    visit.set(aisle, turn++);
  }
  const key = (p: (typeof parsed)[number]) => {
    const a = p.address!;
    const turnIndex = visit.get(`${a.zone}\u0000${String(a.aisle).padStart(4, '0')}`)!;
    const shelf = turnIndex % 2 === 0 ? a.shelf : -a.shelf;
    return [a.zone, a.aisle, shelf, a.level] as const;
  };
  return parsed
    .sort((x, y) => {
      if (!x.address || !y.address) {
        if (x.address) return -1;
        if (y.address) return 1;
        return (x.bin ?? '\uffff').localeCompare(y.bin ?? '\uffff') || x.index - y.index;
      }
      const a = key(x);
      const b = key(y);
      if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
      return a[1] - b[1] || a[2] - b[2] || a[3] - b[3] || x.index - y.index;
    })
    .map((p) => p.item);
}
