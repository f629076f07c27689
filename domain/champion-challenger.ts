// Champion / challenger (S6): a segment may run two or more strategy versions side by side, each on
// a share of new cases. An account's arm is a pure function of its id, so a repeated report, a
// restart or a re-run of the analysis always lands the account in the same arm.

export interface Arm {
  strategyId: string;
  percent: number;
}

/** FNV-1a over the UTF-16 code units: small, stable across runtimes, well spread for UUIDs. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

export function chooseArm(accountId: string, arms: readonly Arm[]): Arm | null {
  const live = [...arms].filter((a) => a.percent > 0).sort((a, b) => a.strategyId.localeCompare(b.strategyId));
  if (live.length === 0) return null;
  const total = live.reduce((sum, a) => sum + a.percent, 0);
  const bucket = (bucketOf(accountId) * total) / 100;
  let upTo = 0;
  for (const arm of live) {
    upTo += arm.percent;
    if (bucket < upTo) return arm;
  }
  return live[live.length - 1]!;
}

/** The shares after publishing a version: it replaces the others, or takes `percent` from the champion. */
export function sharesAfterPublish(current: readonly Arm[], published: string, mode: 'replace' | 'challenger', percent: number): Arm[] {
  if (mode === 'replace' || current.length === 0) return [{ strategyId: published, percent: 100 }];
  const champion = [...current].sort((a, b) => b.percent - a.percent)[0]!;
  return [
    { strategyId: champion.strategyId, percent: 100 - percent },
    { strategyId: published, percent },
  ];
}
