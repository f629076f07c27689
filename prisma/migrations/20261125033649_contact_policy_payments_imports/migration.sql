-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('posted', 'reversed');

-- CreateEnum
CREATE TYPE "AdjustmentKind" AS ENUM ('credit_note', 'debit_note', 'correction');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "PromiseInstalmentStatus" AS ENUM ('pending', 'kept', 'broken');

-- AlterTable
ALTER TABLE "segments" ADD COLUMN     "contact_policy" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "attorney_details" TEXT,
ADD COLUMN     "attorney_represented_at" TIMESTAMPTZ(3),
ADD COLUMN     "cease_communication_at" TIMESTAMPTZ(3),
ADD COLUMN     "jurisdiction" TEXT NOT NULL DEFAULT 'US';

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "attributes" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "credit_minor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "first_contact_at" TIMESTAMPTZ(3),
ADD COLUMN     "segment_reason" TEXT;

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "reversal_reason" TEXT,
ADD COLUMN     "reversed_at" TIMESTAMPTZ(3),
ADD COLUMN     "status" "PaymentStatus" NOT NULL DEFAULT 'posted',
ADD COLUMN     "unapplied_minor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "collection_cases" ADD COLUMN     "next_action_note" TEXT;

-- CreateTable
CREATE TABLE "payment_allocations" (
    "id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "payment_allocations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_adjustments" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "external_ref" TEXT NOT NULL,
    "kind" "AdjustmentKind" NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "open_before" BIGINT NOT NULL,
    "open_after" BIGINT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_adjustments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "promise_instalments" (
    "id" UUID NOT NULL,
    "promise_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "due_date" DATE NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "status" "PromiseInstalmentStatus" NOT NULL DEFAULT 'pending',
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "promise_instalments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jurisdiction_policies" (
    "jurisdiction" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "jurisdiction_policies_pkey" PRIMARY KEY ("jurisdiction")
);

-- CreateTable
CREATE TABLE "message_templates" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "channel" "MessageChannel" NOT NULL,
    "tone" "CustomerType" NOT NULL,
    "version" INTEGER NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "body" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delinquency_imports" (
    "id" UUID NOT NULL,
    "format" TEXT NOT NULL,
    "filename" TEXT,
    "status" "ImportStatus" NOT NULL DEFAULT 'queued',
    "source" TEXT NOT NULL,
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "succeeded_rows" INTEGER NOT NULL DEFAULT 0,
    "failed_rows" INTEGER NOT NULL DEFAULT 0,
    "cases_opened" INTEGER NOT NULL DEFAULT 0,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "branch_id" UUID,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "delinquency_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_row_errors" (
    "id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "row_number" INTEGER NOT NULL,
    "account_ref" TEXT,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "import_row_errors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payment_allocations_payment_id_idx" ON "payment_allocations"("payment_id");

-- CreateIndex
CREATE INDEX "payment_allocations_invoice_id_idx" ON "payment_allocations"("invoice_id");

-- CreateIndex
CREATE INDEX "invoice_adjustments_invoice_id_idx" ON "invoice_adjustments"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_adjustments_account_id_external_ref_key" ON "invoice_adjustments"("account_id", "external_ref");

-- CreateIndex
CREATE UNIQUE INDEX "promise_instalments_promise_id_seq_key" ON "promise_instalments"("promise_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "message_templates_code_channel_tone_version_key" ON "message_templates"("code", "channel", "tone", "version");

-- CreateIndex
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_records_scope_key_key" ON "idempotency_records"("scope", "key");

-- CreateIndex
CREATE INDEX "delinquency_imports_created_at_idx" ON "delinquency_imports"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "import_row_errors_import_id_row_number_key" ON "import_row_errors"("import_id", "row_number");

-- AddForeignKey
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_adjustments" ADD CONSTRAINT "invoice_adjustments_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_adjustments" ADD CONSTRAINT "invoice_adjustments_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promise_instalments" ADD CONSTRAINT "promise_instalments_promise_id_fkey" FOREIGN KEY ("promise_id") REFERENCES "promises_to_pay"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "delinquency_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
