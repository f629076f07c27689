import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { chooseArm, sharesAfterPublish } from '../../domain/champion-challenger.ts';

const arms = [
  { strategyId: 'champion', percent: 80 },
  { strategyId: 'challenger', percent: 20 },
];

describe('champion / challenger (S6)', () => {
  test('an account always lands in the same arm', () => {
    const id = randomUUID();
    const first = chooseArm(id, arms)?.strategyId;
    for (let i = 0; i < 5; i++) expect(chooseArm(id, [...arms].reverse())?.strategyId).toBe(first);
  });

  test('an 80/20 split sends about 80% and 20% of accounts to each arm', () => {
    let challenger = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (chooseArm(randomUUID(), arms)?.strategyId === 'challenger') challenger++;
    expect(challenger / n).toBeGreaterThan(0.18);
    expect(challenger / n).toBeLessThan(0.22);
  });

  test('publishing replaces the champion, or takes a share from it as a challenger', () => {
    expect(sharesAfterPublish([{ strategyId: 'v1', percent: 100 }], 'v2', 'replace', 100)).toEqual([{ strategyId: 'v2', percent: 100 }]);
    expect(sharesAfterPublish([{ strategyId: 'v1', percent: 100 }], 'v2', 'challenger', 20)).toEqual([
      { strategyId: 'v1', percent: 80 },
      { strategyId: 'v2', percent: 20 },
    ]);
    expect(chooseArm('x', [])).toBeNull();
  });
});
