// Who may do what (X3). Roles grant permissions; API keys carry permissions as scopes.
// Branch scoping: a user or key tied to a branch sees and changes only that branch's accounts.

export const roles = ['admin', 'supervisor', 'collector', 'field_rep', 'legal', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const permissions = {
  'accounts:read': ['admin', 'supervisor', 'collector', 'field_rep', 'legal', 'viewer'],
  'accounts:write': ['admin', 'supervisor', 'collector'],
  'delinquencies:report': ['admin'],
  'payments:write': ['admin', 'supervisor', 'collector', 'field_rep'],
  'messages:read': ['admin', 'supervisor'],
  'audit:read': ['admin', 'supervisor'],
  'api_keys:manage': ['admin'],
  'queues:manage': ['admin'],
  'webhooks:manage': ['admin'],
  'strategies:manage': ['admin'],
  'templates:manage': ['admin'],
  'segments:manage': ['admin'],
  'segments:propose': ['admin', 'supervisor'],
  'contact_policy:manage': ['admin'],
  /** Inbound messages from providers and gateways (STOP replies); API keys only in practice. */
  'messages:inbound': ['admin'],
  /** Define work queues, assign collectors and branches to them, allocate accounts in bulk (W2, S2). */
  'work_queues:manage': ['admin', 'supervisor'],
  /** Be served accounts from one's queues ("next account"), lease and postpone them (W3, W4). */
  'work:serve': ['admin', 'supervisor', 'collector'],
  /** Record contacts and their outcomes, edit contact details, mark for trace (W6, W8). */
  'contacts:record': ['admin', 'supervisor', 'collector'],
  /** The live board of collectors and the team's figures (W5, R1, R5). */
  'team:monitor': ['admin', 'supervisor'],
  /** Read a case's Temporal event history (the history inspector). */
  'cases:history': ['admin', 'supervisor'],
  /** Pause and resume a case's workflow (audited). */
  'cases:control': ['admin', 'supervisor'],
  /** Work a route on the phone: the day offline, look-ups, visits synced, receipts (F4-F9). */
  'field:work': ['admin', 'supervisor', 'field_rep'],
  /** Leads, routes and their assignment, and the conflicts syncing finds (F1-F3, F5). */
  'field:manage': ['admin', 'supervisor'],
  /** Field collections reports and commissions (F10). */
  'field:reports': ['admin', 'supervisor'],
  /** Set the field reps' commission plan (pay rules: admins, like strategies and templates). */
  'commission_plans:manage': ['admin'],
  /** GDPR data-subject requests of the branch's customers: record, extend, answer (X1). */
  'data_requests:manage': ['admin', 'supervisor'],
  /** How strategy versions have done with their cases: champion and challengers (S6). */
  'strategies:analyse': ['admin', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;
export const allPermissions = Object.keys(permissions) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissions, value);
}

export type Principal =
  | { kind: 'user'; id: string; role: Role; branchId: string | null; name: string }
  | { kind: 'api_key'; id: string; scopes: readonly string[]; branchId: string | null; name: string };

export function hasPermission(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'api_key') return principal.scopes.includes(permission);
  return (permissions[permission] as readonly Role[]).includes(principal.role);
}

/** Every permission a role grants (what the UI may offer a signed-in user). */
export function permissionsOf(role: Role): Permission[] {
  return allPermissions.filter((permission) => (permissions[permission] as readonly Role[]).includes(role));
}

/** The branches a principal may see: `null` means every branch. */
export function branchScope(principal: Principal): string | null {
  return principal.branchId;
}

export function canAccessBranch(principal: Principal, branchId: string): boolean {
  const scope = branchScope(principal);
  return scope === null || scope === branchId;
}

/**
 * Who is behind a request, where the principal itself is not at hand: in a message to a case
 * workflow (its header or payload), and so in the workflow's history and the audit it writes.
 */
export interface SenderIdentity {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  /** The user's or API key's name when the message was sent. */
  name: string;
}

export const systemSender: SenderIdentity = { type: 'system', id: null, name: 'system' };

export function senderOf(principal: Principal): SenderIdentity {
  return { type: principal.kind, id: principal.id, name: principal.name };
}
