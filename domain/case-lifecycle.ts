// The life of a collection case, as data and transitions the workflow and the API share.
// The strategy engine (steps by days past due and events) builds on this.

export type CaseStage = 'soft' | 'hard' | 'pre_legal' | 'legal' | 'closed';
export type CaseCloseReason = 'paid' | 'written_off' | 'recalled' | 'settled';

export interface CaseInput {
  caseId: string;
  accountId: string;
  episode: number;
  currency: string;
}

export interface CaseSnapshot {
  caseId: string;
  accountId: string;
  stage: CaseStage;
  status: 'open' | 'closed';
  balanceMinor: string;
  closeReason: CaseCloseReason | null;
  paymentsSeen: number;
}

/** A case is settled in full once nothing is owed on the account. */
export function isPaidInFull(balanceMinor: bigint): boolean {
  return balanceMinor <= 0n;
}
