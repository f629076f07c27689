// The benchmark's yardstick: a workflow that does nothing, so starting and completing it measures
// the Temporal server's own rate (bench/import-delinquencies.ts).
export async function emptyWorkflow(): Promise<void> {}
