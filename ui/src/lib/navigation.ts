// The navigation each role sees. Links marked `external` leave the SvelteKit app (full page load).
import type { Me, Role } from './api/types.ts';

export interface NavItem {
  href: string;
  label: string;
  external?: boolean;
}

const everyone: NavItem[] = [{ href: '/accounts', label: 'Accounts' }];
/** The phone app for field reps (ui/src/routes/(field)), with a layout of its own. */
const field: NavItem[] = [{ href: '/field', label: 'Field app' }];
const work: NavItem[] = [{ href: '/work', label: 'My work' }];
/** Roles with team:monitor (the API's domain/access.ts): the supervisor console. */
const oversight: NavItem[] = [
  { href: '/team', label: 'Team' },
  { href: '/dispatch', label: 'Field routes' },
  { href: '/field/reports', label: 'Field reports' },
  { href: '/outbox', label: 'Outbox' },
  { href: '/admin/segments', label: 'Segments' },
  { href: '/admin/data-requests', label: 'Data requests' },
];
const administration: NavItem[] = [
  { href: '/admin/templates', label: 'Templates' },
  { href: '/imports', label: 'Imports' },
  { href: '/admin/queues', label: 'Queues', external: true },
  { href: '/api/v1/docs', label: 'API docs', external: true },
];

export const navigationByRole: Record<Role, NavItem[]> = {
  admin: [...work, ...everyone, ...oversight, ...administration],
  supervisor: [...work, ...everyone, ...oversight],
  collector: [...work, ...everyone],
  field_rep: [...field, ...everyone],
  legal: everyone,
  viewer: everyone,
};

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  supervisor: 'Supervisor',
  collector: 'Collector',
  field_rep: 'Field rep',
  legal: 'Legal',
  viewer: 'Viewer',
};

/** Where a user lands after signing in: field reps on their phone's route, everyone else on the accounts. */
export function homeFor(me: Me): string {
  return me.user.role === 'field_rep' ? '/field' : '/accounts';
}
