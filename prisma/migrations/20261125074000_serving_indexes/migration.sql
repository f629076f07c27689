-- Serving "next account" (W3) walks an index of accounts in the queue's order and stops at the first
-- eligible row (services/work-serving.ts). Each index ends with the id, the final tie-breaker, so
-- the whole ORDER BY comes from the index. Orderings without an index here are sorted instead:
-- correct, slower on a large book.
DROP INDEX IF EXISTS "accounts_serving_age_idx";
DROP INDEX IF EXISTS "accounts_serving_priority_idx";
CREATE INDEX "accounts_serving_default_idx" ON "accounts" ("branch_id", "broken_promises" DESC, "oldest_due_date", "id") WHERE "status" IN ('delinquent', 'trace') AND "balance_minor" > 0;
CREATE INDEX "accounts_serving_age_idx" ON "accounts" ("branch_id", "oldest_due_date", "id") WHERE "status" IN ('delinquent', 'trace') AND "balance_minor" > 0;
CREATE INDEX "accounts_serving_priority_idx" ON "accounts" ("branch_id", "priority_score" DESC, "id") WHERE "status" IN ('delinquent', 'trace') AND "balance_minor" > 0;
CREATE INDEX "accounts_serving_balance_idx" ON "accounts" ("branch_id", "balance_minor" DESC, "id") WHERE "status" IN ('delinquent', 'trace') AND "balance_minor" > 0;
-- The small sets served first: calls due, a collector's own postponements.
CREATE INDEX "accounts_call_due_idx" ON "accounts" ("call_due_at") WHERE "call_due_at" IS NOT NULL;
CREATE INDEX "accounts_postponed_for_idx" ON "accounts" ("postponed_for_id", "postponed_until") WHERE "postponed_for_id" IS NOT NULL;
