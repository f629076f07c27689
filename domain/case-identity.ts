// A case workflow's ID is derived from the account and the delinquency episode, so a repeated
// report of the same delinquency can never start a second workflow for it.

export function caseWorkflowId(accountId: string, episode: number): string {
  return `collection-case/${accountId}/${episode}`;
}
