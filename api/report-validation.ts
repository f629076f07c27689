// One validation for a delinquency report, whether it arrives alone (`reportDelinquency`) or as a
// row of an import: the same zod schema, and the same conversion of money to BigInt minor units.
import { DelinquencyReportBody } from './schemas.ts';
import type { DelinquencyReport } from '../services/delinquency-intake.ts';
import type { ReportValidator } from '../services/delinquency-imports.ts';
import type { z } from './http/openapi-registry.ts';

export function toDelinquencyReport(body: z.infer<typeof DelinquencyReportBody>): DelinquencyReport {
  return { ...body, invoices: body.invoices.map((i) => ({ ...i, amountMinor: BigInt(i.amountMinor), openMinor: BigInt(i.openMinor) })) };
}

export const validateDelinquencyReport: ReportValidator = (candidate) => {
  const parsed = DelinquencyReportBody.safeParse(candidate);
  if (parsed.success) return { ok: true, report: toDelinquencyReport(parsed.data) };
  return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) };
};
