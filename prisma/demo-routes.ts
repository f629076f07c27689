// Today's field routes in the demo (F2, F3): each branch's field rep gets a route through the leads
// nearest the office, planned by the same planner a supervisor uses, so that the field app has a day
// to work the moment the system is up. Made when the demo data is seeded (routes are for one day).
import type { Db } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { localDate } from '../domain/ageing.ts';
import { haversineMetres } from '../domain/routing/geo.ts';
import { GreatCircleMatrixProvider } from '../platform/routing/travel-matrix.ts';
import { systemActor } from '../services/audit.ts';
import { createFieldRoutes, planFieldRoutes, type FieldRouteDeps } from '../services/field-routes.ts';

/** Stops on each demo route: a full but plausible day. */
const stopsPerRoute = 10;

export async function seedTodaysRoutes(db: Db, now: Date, log: (line: string) => void = () => {}): Promise<number> {
  const admin = await db.user.findFirst({ where: { role: 'admin' }, select: { id: true, name: true } });
  if (!admin) return 0;
  const principal: Principal = { kind: 'user', id: admin.id, role: 'admin', branchId: null, name: admin.name };
  const provider = new GreatCircleMatrixProvider();
  const deps: FieldRouteDeps = { db, travel: (points) => provider.matrix(points) };
  let made = 0;
  for (const branch of await db.branch.findMany({ select: { id: true, name: true, timeZone: true, latitude: true, longitude: true } })) {
    const reps = await db.user.findMany({ where: { role: 'field_rep', branchId: branch.id, active: true }, select: { id: true } });
    if (!reps.length || branch.latitude === null || branch.longitude === null) continue;
    const office = { lat: branch.latitude, lon: branch.longitude };
    const leads = await db.task.findMany({ where: { kind: 'visit', status: 'open', branchId: branch.id, routeStop: { is: null }, account: { latitude: { not: null } } }, select: { id: true, account: { select: { latitude: true, longitude: true } } } });
    const nearest = leads
      .map((l) => ({ id: l.id, metres: haversineMetres(office, { lat: l.account.latitude!, lon: l.account.longitude! }) }))
      .sort((a, b) => a.metres - b.metres)
      .slice(0, stopsPerRoute * reps.length)
      .map((l) => l.id);
    if (!nearest.length) continue;
    const serviceDate = localDate(now, branch.timeZone);
    const plan = await planFieldRoutes(deps, principal, { serviceDate, branchId: branch.id, groupBy: 'none', taskIds: nearest, reps: reps.map((r) => ({ repId: r.id, maxStops: stopsPerRoute, maxMinutes: 8 * 60 })) });
    const routes = plan.routes.filter((r) => r.stops.length).map((r) => ({ repId: r.rep.id, taskIds: r.stops.map((s) => s.taskId), groupBy: 'none', optimise: false }));
    if (!routes.length) continue;
    await createFieldRoutes(deps, principal, systemActor, { serviceDate, branchId: branch.id, routes });
    made += routes.length;
    log(`demo data: today's route for ${branch.name} (${routes[0]!.taskIds.length} stops)`);
  }
  return made;
}
