-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "allocated_at" TIMESTAMPTZ(3),
ADD COLUMN     "allocated_to_id" UUID,
ADD COLUMN     "broken_promises" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "call_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "call_hold_until" TIMESTAMPTZ(3),
ADD COLUMN     "last_worked_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_worked_by_id" UUID,
ADD COLUMN     "postponed_for_id" UUID,
ADD COLUMN     "postponed_until" TIMESTAMPTZ(3),
ADD COLUMN     "priority_score" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "work_queues" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "branch_id" UUID,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "ordering" JSONB NOT NULL DEFAULT '[]',
    "rank" INTEGER NOT NULL DEFAULT 100,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_queues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_queue_members" (
    "id" UUID NOT NULL,
    "queue_id" UUID NOT NULL,
    "user_id" UUID,
    "branch_id" UUID,

    CONSTRAINT "work_queue_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_leases" (
    "account_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "queue_id" UUID,
    "leased_at" TIMESTAMPTZ(3) NOT NULL,
    "renewed_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_leases_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "work_log" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "queue_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "ending" TEXT,

    CONSTRAINT "work_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "saved_views" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_views_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "work_queue_members_user_id_idx" ON "work_queue_members"("user_id");

-- CreateIndex
CREATE INDEX "work_queue_members_branch_id_idx" ON "work_queue_members"("branch_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_queue_members_queue_id_user_id_key" ON "work_queue_members"("queue_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_queue_members_queue_id_branch_id_key" ON "work_queue_members"("queue_id", "branch_id");

-- CreateIndex
CREATE INDEX "account_leases_user_id_idx" ON "account_leases"("user_id");

-- CreateIndex
CREATE INDEX "account_leases_expires_at_idx" ON "account_leases"("expires_at");

-- CreateIndex
CREATE INDEX "work_log_user_id_started_at_idx" ON "work_log"("user_id", "started_at");

-- CreateIndex
CREATE INDEX "work_log_account_id_started_at_idx" ON "work_log"("account_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "saved_views_user_id_name_key" ON "saved_views"("user_id", "name");

-- CreateIndex
CREATE INDEX "accounts_status_branch_id_priority_score_idx" ON "accounts"("status", "branch_id", "priority_score");

-- CreateIndex
CREATE INDEX "accounts_allocated_to_id_idx" ON "accounts"("allocated_to_id");

-- AddForeignKey
ALTER TABLE "work_queue_members" ADD CONSTRAINT "work_queue_members_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "work_queues"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_leases" ADD CONSTRAINT "account_leases_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_log" ADD CONSTRAINT "work_log_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Serving "next account" (W3): only accounts with money in arrears are candidates; partial indexes
-- keep the candidate scan small at 100,000 open cases.
CREATE INDEX "accounts_serving_age_idx" ON "accounts" ("branch_id", "oldest_due_date") WHERE "status" IN ('delinquent', 'trace') AND "balance_minor" > 0;
CREATE INDEX "accounts_serving_priority_idx" ON "accounts" ("branch_id", "priority_score" DESC) WHERE "status" IN ('delinquent', 'trace') AND "balance_minor" > 0;
