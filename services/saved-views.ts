// Saved views of the bucket (W1): a named set of the bucket's filters. A view is its owner's; a
// shared one is also offered to the owner's branch. Who sees a shared view: users of the owner's
// branch, users without a branch (they see every branch), and, when the owner has no branch,
// everyone. The filters themselves are applied under the viewer's own branch scope, so sharing a view
// never shows anyone an account they could not see anyway.
import type { Db, Prisma } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { ServiceError } from './errors.ts';

export interface SavedViewInput {
  name: string;
  query: Record<string, string | number>;
  shared: boolean;
}

function userOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new ServiceError('forbidden', 'saved views belong to users; an API key has none');
  return principal.id;
}

async function visibleWhere(db: Db, principal: Principal): Promise<Prisma.SavedViewWhereInput> {
  const userId = userOf(principal);
  if (principal.branchId === null) return { OR: [{ userId }, { shared: true }] };
  const colleagues = await db.user.findMany({ where: { OR: [{ branchId: principal.branchId }, { branchId: null }] }, select: { id: true } });
  return { OR: [{ userId }, { shared: true, userId: { in: colleagues.map((u) => u.id) } }] };
}

export async function listSavedViews(db: Db, principal: Principal) {
  const views = await db.savedView.findMany({ where: await visibleWhere(db, principal), orderBy: [{ name: 'asc' }, { createdAt: 'asc' }] });
  const owners = await db.user.findMany({ where: { id: { in: [...new Set(views.map((v) => v.userId))] } }, select: { id: true, name: true } });
  return views.map((view) => ({ ...view, owner: owners.find((o) => o.id === view.userId) ?? { id: view.userId, name: 'Unknown' }, mine: view.userId === principal.id }));
}

export async function createSavedView(db: Db, principal: Principal, input: SavedViewInput) {
  const userId = userOf(principal);
  try {
    const view = await db.savedView.create({ data: { userId, name: input.name, query: input.query, shared: input.shared } });
    return { ...view, owner: { id: userId, name: principal.name }, mine: true };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new ServiceError('saved_view_name_taken', `you already have a view named "${input.name}"`, [{ path: 'body.name', message: 'already used by another of your views' }]);
    throw error;
  }
}

/** Only the owner deletes a view; someone else's view is reported as missing when it is not visible to them. */
export async function deleteSavedView(db: Db, principal: Principal, id: string): Promise<void> {
  const userId = userOf(principal);
  const view = await db.savedView.findFirst({ where: { AND: [{ id }, await visibleWhere(db, principal)] } });
  if (!view) throw new ServiceError('not_found', 'no such saved view');
  if (view.userId !== userId) throw new ServiceError('forbidden', "only the view's owner can delete it");
  await db.savedView.delete({ where: { id } });
}
