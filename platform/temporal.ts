// Temporal connections for clients (API, scripts) and workers, from one place.
import { Client, Connection } from '@temporalio/client';
import type { Config } from './config.ts';

export async function connectTemporalClient(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

/** The Web UI link to a workflow (or one of its runs), when the Temporal UI's address is known. */
export function temporalWorkflowUrl(uiUrl: string | undefined, namespace: string, workflowId: string, runId?: string): string | null {
  if (!uiUrl) return null;
  const workflow = `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${workflow}/${encodeURIComponent(runId)}/history` : workflow;
}
