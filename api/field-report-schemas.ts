// Request and response shapes of the field reports (F10) and the commission plan. Registered for the
// OpenAPI document. Money is a string of minor units with its currency, as in the rest of the field API;
// rates are fractions from 0 to 1, null when there was nothing to divide by.
import { registry, z } from './http/openapi-registry.ts';
import { commissionPlanSchema } from '../domain/commissions.ts';
import { reportPeriods, maxReportDays } from '../domain/field-reports.ts';
import { distributionAreas } from '../domain/field-route-reports.ts';
import { fieldContactResults, fieldPaymentMethods } from '../domain/field-visits.ts';

const id = z.uuid();
const dateOnly = z.iso.date().openapi({ example: '2026-11-24' });
const instant = z.string().openapi({ description: 'ISO 8601 instant' });
const rate = z.number().min(0).max(1).nullable().openapi({ description: 'A fraction from 0 to 1 (4 decimals); null when there was nothing to divide by' });

export const FieldMoney = registry.register('FieldMoney', z.object({ currency: z.string(), amountMinor: z.string().regex(/^-?\d+$/).openapi({ description: 'Minor units, as a string (exact for any size)' }) }));
const Amounts = z.array(FieldMoney).openapi({ description: 'One sum per currency (amounts in different currencies are never added)' });
const Counted = z.object({ count: z.number().int(), amounts: Amounts });
export const ReportRep = registry.register('FieldReportRep', z.object({ id, name: z.string(), branchCode: z.string().nullable() }));

const format = z.enum(['json', 'csv']).optional().openapi({ description: 'csv: the report as CSV, as with Accept: text/csv (for a plain download link)' });

export const ReportQuery = z.object({
  from: dateOnly.openapi({ description: 'First local day (in each visit’s branch time zone)' }),
  to: dateOnly.openapi({ description: `Last local day, inclusive; at most ${maxReportDays} days after from` }),
  repId: id.optional().openapi({ description: 'One rep; default every rep in the branches' }),
  branchId: id.optional().openapi({ description: 'One branch; default the caller’s branch, or every branch for a caller without one' }),
  format,
});
export const CollectionsQuery = ReportQuery.extend({ period: z.enum(reportPeriods).default('day').openapi({ description: 'day, ISO week (Monday to Sunday) or month' }) });
export const DistributionQuery = ReportQuery.extend({
  by: z.enum(distributionAreas).default('postal_prefix').openapi({ description: 'The areas: postal-code prefix, corp (company or franchise), or billing’s audit route' }),
  prefixLength: z.coerce.number().int().min(1).max(10).default(3).openapi({ description: 'Characters of the postal code that make an area (by=postal_prefix)' }),
});
export const RepsQuery = z.object({ branchId: id.optional() });

const range = { from: dateOnly, to: dateOnly, generatedAt: instant };

// --- collections -------------------------------------------------------------------------------

const Period = z.object({ key: z.string().openapi({ example: '2026-W11' }), start: dateOnly, end: dateOnly, partial: z.boolean().openapi({ description: 'The range cuts the week or month short' }) });
const CollectionFigures = registry.register(
  'FieldCollectionFigures',
  z.object({
    visits: z.number().int(),
    payments: z.number().int().openapi({ description: 'Posted payments (approved cards only)' }),
    collected: Amounts.openapi({ description: 'Posted payments; reversed ones are not collected' }),
    byMethod: z.array(z.object({ method: z.enum(fieldPaymentMethods), count: z.number().int(), amounts: Amounts })),
    reversed: Counted.openapi({ description: 'Payments taken in the period and since reversed (bounced cheques, charge-backs)' }),
  }),
);
const CollectionSeries = z.object({ periods: z.array(CollectionFigures.extend({ period: z.string() })), total: CollectionFigures });
export const CollectionsReport = registry.register(
  'FieldCollectionsReport',
  z.object({ ...range, period: z.enum(reportPeriods), periods: z.array(Period), reps: z.array(CollectionSeries.extend({ rep: ReportRep })), allReps: CollectionSeries }),
);

// --- commissions -------------------------------------------------------------------------------

export const CommissionPlanBody = registry.register('CommissionPlanRequest', z.object({ name: z.string().trim().min(1).max(120), definition: commissionPlanSchema }).strict());
export const CommissionPlanVersion = registry.register(
  'CommissionPlan',
  z.object({
    id: id.nullable().openapi({ description: 'null: the built-in default, in force until a plan is set' }),
    name: z.string(),
    isDefault: z.boolean(),
    createdAt: instant.nullable(),
    createdBy: z.object({ id, name: z.string() }).nullable(),
    definition: z.object({
      tiers: z.array(z.object({ fromMinor: z.number().int(), rateBps: z.number().int() })).openapi({ description: 'Marginal tiers: each rate (basis points) applies to the part of the month’s takings from its threshold up to the next' }),
      perEquipmentMinor: z.number().int(),
      perEquipmentTypeMinor: z.record(z.string(), z.number().int()),
    }),
  }),
);
export const CommissionPlanState = registry.register('CommissionPlanState', z.object({ current: CommissionPlanVersion, history: z.array(CommissionPlanVersion), canChange: z.boolean().openapi({ description: 'Whether the caller may set a new plan (someone who sees every branch)' }) }));

const minor = z.string().regex(/^-?\d+$/);
export const CommissionsReport = registry.register(
  'FieldCommissionsReport',
  z.object({
    ...range,
    /** The plan in force now; each line names the version its month is paid on. */
    plan: CommissionPlanVersion,
    lines: z.array(
      z.object({
        month: z.string().openapi({ example: '2026-03' }),
        rep: ReportRep,
        currency: z.string(),
        collectedMinor: minor,
        equipmentUnits: z.number().int(),
        equipmentByType: z.array(z.object({ type: z.string(), units: z.number().int() })),
        plan: z.object({ id: id.nullable(), name: z.string() }).openapi({ description: 'The version in force when the month closed in the branch’s calendar (id null: the built-in plan)' }),
        tiers: z.array(z.object({ fromMinor: minor, toMinor: minor.nullable(), rateBps: z.number().int(), baseMinor: minor, commissionMinor: minor })),
        collectedCommissionMinor: minor,
        equipmentCommissionMinor: minor,
        totalMinor: minor,
      }),
    ),
    totals: z.array(z.object({ month: z.string(), currency: z.string(), collectedMinor: minor, totalMinor: minor })).openapi({ description: 'All reps, per month and currency' }),
  }),
);

// --- routes ------------------------------------------------------------------------------------

const RouteFigures = z.object({
  stops: z.object({ planned: z.number().int(), visited: z.number().int(), skipped: z.number().int(), pending: z.number().int() }),
  visits: z.number().int(),
  results: z.array(z.object({ result: z.enum(fieldContactResults), count: z.number().int() })),
  payments: z.number().int(),
  collected: Amounts,
  reversed: Counted,
  promises: Counted,
  equipment: z.number().int(),
});
export const RouteSummaryReport = registry.register(
  'FieldRouteSummaryReport',
  z.object({
    ...range,
    routes: z.array(
      RouteFigures.extend({
        route: z.object({ id, name: z.string(), serviceDate: dateOnly, status: z.enum(['planned', 'in_progress', 'completed', 'cancelled']), rep: ReportRep.nullable(), branchCode: z.string(), timeZone: z.string().openapi({ description: 'The branch’s, in which the route’s times are read' }), groupBy: z.string(), groupKey: z.string().nullable() }),
        plannedDistanceM: z.number().int(),
        plannedMinutes: z.number().int().openapi({ description: 'The whole day as planned: driving from the office and time at each stop' }),
        plannedSpanMinutes: z.number().int().nullable().openapi({ description: 'First to last planned arrival' }),
        actualSpanMinutes: z.number().int().nullable().openapi({ description: 'First to last actual arrival; null before the first visit' }),
        firstArrivalAt: instant.nullable(),
        lastArrivalAt: instant.nullable(),
      }),
    ),
    totals: RouteFigures,
  }),
);

const DistributionFigures = z.object({
  stops: z.number().int(),
  visitedStops: z.number().int(),
  accounts: z.number().int().openapi({ description: 'Distinct accounts' }),
  arrears: Amounts.openapi({ description: 'The distinct accounts’ balances now' }),
  collected: Amounts.openapi({ description: 'Posted payments from visits to these stops' }),
});
const area = z.string().nullable().openapi({ description: 'null: billing did not report it' });
export const DistributionReport = registry.register(
  'FieldRouteDistributionReport',
  z.object({
    ...range,
    by: z.enum(distributionAreas),
    prefixLength: z.number().int(),
    cells: z.array(DistributionFigures.extend({ area, rep: ReportRep.nullable() })),
    byArea: z.array(DistributionFigures.extend({ area })),
    byRep: z.array(DistributionFigures.extend({ rep: ReportRep.nullable().openapi({ description: 'null: routes with no rep' }) })),
    total: DistributionFigures,
  }),
);

// --- sweep and effectiveness ------------------------------------------------------------------

const SweepTotals = z.object({ byMethod: z.array(z.object({ method: z.enum(fieldPaymentMethods), count: z.number().int(), amounts: Amounts })), taken: Amounts, reversed: Counted, declinedCards: z.number().int() });
export const SweepReport = registry.register(
  'FieldCollectionsSweep',
  z.object({
    ...range,
    days: z.array(
      z.object({
        date: dateOnly,
        rep: ReportRep,
        items: z.array(
          z.object({
            visitId: id,
            receiptNumber: z.string(),
            arrivedAt: instant,
            timeZone: z.string().openapi({ description: 'The branch’s time zone, in which the day and time are read' }),
            account: z.object({ id, externalRef: z.string(), customerName: z.string() }),
            method: z.enum(fieldPaymentMethods),
            amount: FieldMoney,
            reference: z.string().nullable().openapi({ description: 'Cheque or money-order number' }),
            card: z.object({ brand: z.string().nullable(), last4: z.string().nullable(), processorRef: z.string().nullable() }).nullable(),
            status: z.enum(['posted', 'reversed', 'unposted']),
          }),
        ),
        totals: SweepTotals,
      }),
    ),
    totals: SweepTotals,
  }),
);

const EffectivenessFigures = registry.register(
  'FieldEffectiveness',
  z.object({
    visits: z.number().int(),
    rightPartyContacts: z.number().int(),
    rightPartyRate: rate.openapi({ description: 'Visits where the rep spoke with the customer, of all visits' }),
    visitsWithPayment: z.number().int(),
    paymentRate: rate.openapi({ description: 'Visits with a posted payment, of all visits' }),
    collected: Amounts,
    amountPerVisit: Amounts.openapi({ description: 'Collected in a currency over the visits to accounts in it' }),
    promises: z.object({ made: z.number().int(), amounts: Amounts, kept: z.number().int(), broken: z.number().int(), keptRate: rate.openapi({ description: 'Kept of those resolved (kept or broken)' }) }),
    equipmentRecovered: z.number().int(),
    retention: z.object({ offers: z.number().int(), accepted: z.number().int(), declined: z.number().int(), considering: z.number().int(), acceptedRate: rate }),
    cards: z.object({ charged: z.number().int(), declined: z.number().int() }),
  }),
);
export const EffectivenessReport = registry.register('FieldEffectivenessReport', z.object({ ...range, reps: z.array(EffectivenessFigures.extend({ rep: ReportRep })), staff: EffectivenessFigures }));

export const RepList = z.object({ items: z.array(ReportRep) });
