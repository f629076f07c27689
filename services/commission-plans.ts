// The plan field reps' commissions are computed from (F10). Versioned by insertion: setting a plan adds
// a row and never edits one, so every plan that was ever in force stays on record. A month is paid on
// the version in force at its close (domain/field-reports.ts planForMonth), so a new plan changes the
// open month onwards and never a closed one; before any is set, the built-in default
// (domain/commissions.ts) applies. Changes are audited.
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, hasPermission, type Principal } from '../domain/access.ts';
import { commissionPlanSchema, defaultCommissionPlan, type CommissionPlan } from '../domain/commissions.ts';
import { equipmentTypeKey } from '../domain/field-reports.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';

export interface CommissionPlanVersion {
  /** null for the built-in default. */
  id: string | null;
  name: string;
  plan: CommissionPlan;
  createdAt: Date | null;
  createdBy: { id: string; name: string } | null;
  isDefault: boolean;
}

export const defaultPlanName = 'Default plan';

const defaultVersion: CommissionPlanVersion = { id: null, name: defaultPlanName, plan: defaultCommissionPlan, createdAt: null, createdBy: null, isDefault: true };

/**
 * One plan pays reps in every branch, so only someone who sees every branch (an admin, a head-office
 * supervisor) may change it; a branch's supervisor reads it.
 */
export function mayChangeCommissionPlan(principal: Principal): boolean {
  return hasPermission(principal, 'commission_plans:manage') && branchScope(principal) === null;
}

type PlanRow = { id: string; name: string; definition: Prisma.JsonValue; createdAt: Date; createdById: string | null };

async function versions(db: Db, rows: PlanRow[]): Promise<CommissionPlanVersion[]> {
  const authorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const authors = authorIds.length ? await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } }) : [];
  return rows.map((row) => {
    // Plans are validated when set; one that no longer parses is a fault to see, not to paper over.
    const plan = commissionPlanSchema.parse(row.definition);
    return { id: row.id, name: row.name, plan, createdAt: row.createdAt, createdBy: authors.find((a) => a.id === row.createdById) ?? null, isDefault: false };
  });
}

const planSelect = { id: true, name: true, definition: true, createdAt: true, createdById: true } as const;

/** The plan in force: the newest active one, else the default. */
export async function activeCommissionPlan(db: Db): Promise<CommissionPlanVersion> {
  const row = await db.commissionPlan.findFirst({ where: { active: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: planSelect });
  return row ? (await versions(db, [row]))[0]! : defaultVersion;
}

/** The plan in force and the versions before it, newest first. */
export async function commissionPlanHistory(db: Db, limit = 10): Promise<{ current: CommissionPlanVersion; history: CommissionPlanVersion[] }> {
  const rows = await db.commissionPlan.findMany({ where: { active: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, select: planSelect });
  const all = await versions(db, rows);
  return { current: all[0] ?? defaultVersion, history: all.slice(1) };
}

/** Every version ever set, newest first, and the built-in plan that applied before them: what months are paid on. */
export async function commissionPlanVersions(db: Db): Promise<{ versions: CommissionPlanVersion[]; fallback: CommissionPlanVersion }> {
  const rows = await db.commissionPlan.findMany({ where: { active: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: planSelect });
  return { versions: await versions(db, rows), fallback: defaultVersion };
}

/** Equipment amounts keyed as commissionFor looks them up (trimmed, lower case); two spellings of one type are refused. */
export function normalisePlan(plan: CommissionPlan): CommissionPlan {
  const byType: Record<string, number> = {};
  for (const [type, amount] of Object.entries(plan.perEquipmentTypeMinor)) {
    const key = equipmentTypeKey(type);
    if (!key) throw new ServiceError('validation_failed', 'an equipment type needs a name', [{ path: 'body.definition.perEquipmentTypeMinor', message: 'empty equipment type' }]);
    if (key in byType) throw new ServiceError('validation_failed', `equipment type "${key}" is listed twice`, [{ path: `body.definition.perEquipmentTypeMinor.${type}`, message: `the same type as "${key}"` }]);
    byType[key] = amount;
  }
  return { ...plan, perEquipmentTypeMinor: byType };
}

/** Puts a new plan in force from now: a new version, audited with the plan it replaces. */
export async function setCommissionPlan(db: Db, principal: Principal, actor: Actor, input: { name: string; plan: CommissionPlan }): Promise<CommissionPlanVersion> {
  if (!mayChangeCommissionPlan(principal)) throw new ServiceError('forbidden', 'the commission plan is set by head office: an admin of every branch');
  const plan = normalisePlan(commissionPlanSchema.parse(input.plan));
  const before = await activeCommissionPlan(db);
  const created = await auditedTransaction(db, async (tx) => {
    const row = await tx.commissionPlan.create({ data: { name: input.name, definition: plan as unknown as Prisma.InputJsonValue, active: true, createdById: principal.kind === 'user' ? principal.id : null }, select: planSelect });
    await recordAudit(tx, actor, {
      action: 'field.commission_plan_set',
      entityType: 'commission_plan',
      entityId: row.id,
      before: { id: before.id, name: before.name, definition: before.plan },
      after: { id: row.id, name: row.name, definition: plan },
    });
    return row;
  });
  return (await versions(db, [created]))[0]!;
}
