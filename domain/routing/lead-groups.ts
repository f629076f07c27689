// Grouping leads (F2): by corp (company or franchise), ZIP code, audit route or branch. A supervisor
// sees the groups with their size and value, picks some (or draws a selection on the map), and
// routes are made within each group.
import type { GroupBy, Lead } from './route-model.ts';

/** The most accounts one request by the bucket's filters may turn into leads (F1): a day's work for a large field force, not the whole book. */
export const maxLeadsByFilter = 1_000;

export interface LeadGroup {
  /** The shared value; null for "no grouping", and for leads that have no value for the chosen key. */
  key: string | null;
  leadIds: string[];
  serviceMinutes: number;
  amountMinor: number;
}

export function groupKeyOf(lead: Lead, groupBy: GroupBy): string | null {
  if (groupBy === 'none') return null;
  const value = lead.groupKeys[groupBy]?.trim();
  return value ? value : null;
}

/**
 * The groups of the given leads, largest amount in arrears first (then most leads, then key), so
 * that when there are more groups than reps the most valuable groups are routed first.
 */
export function groupLeads(leads: readonly Lead[], groupBy: GroupBy): LeadGroup[] {
  const groups = new Map<string | null, LeadGroup>();
  for (const lead of leads) {
    const key = groupKeyOf(lead, groupBy);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, leadIds: [], serviceMinutes: 0, amountMinor: 0 }));
    group.leadIds.push(lead.id);
    group.serviceMinutes += lead.serviceMinutes;
    group.amountMinor += lead.amountMinor;
  }
  return [...groups.values()].sort(
    (a, b) => b.amountMinor - a.amountMinor || b.leadIds.length - a.leadIds.length || String(a.key ?? '').localeCompare(String(b.key ?? '')),
  );
}
