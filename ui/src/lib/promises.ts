// How much of each instalment the payments so far cover, for display. The case (domain/promises.ts)
// applies payments made since the promise to its instalments in order; this shows the same split.
export function coveredPerInstalment(instalments: ReadonlyArray<{ amountMinor: number }>, paidMinor: number): number[] {
  let left = paidMinor;
  return instalments.map((i) => {
    const covered = Math.max(0, Math.min(i.amountMinor, left));
    left -= covered;
    return covered;
  });
}
