-- CreateEnum
CREATE TYPE "DataRequestKind" AS ENUM ('access', 'rectification', 'erasure', 'restriction', 'objection');

-- CreateEnum
CREATE TYPE "DataRequestStatus" AS ENUM ('open', 'completed', 'refused');

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "pseudonymised_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "collection_cases" ADD COLUMN     "first_contact_at" TIMESTAMPTZ(3),
ADD COLUMN     "validation_notice_channel" "MessageChannel",
ADD COLUMN     "validation_notice_sent_at" TIMESTAMPTZ(3),
ADD COLUMN     "validation_period_ends_on" DATE;

-- CreateTable
CREATE TABLE "data_subject_requests" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "kind" "DataRequestKind" NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "due_on" DATE NOT NULL,
    "extended_due_on" DATE,
    "extension_reason" TEXT,
    "status" "DataRequestStatus" NOT NULL DEFAULT 'open',
    "details" TEXT NOT NULL DEFAULT '',
    "created_by_id" UUID,
    "handled_by_id" UUID,
    "completed_at" TIMESTAMPTZ(3),
    "response" TEXT,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "data_subject_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "data_subject_requests_status_due_on_idx" ON "data_subject_requests"("status", "due_on");

-- CreateIndex
CREATE INDEX "data_subject_requests_customer_id_idx" ON "data_subject_requests"("customer_id");

-- AddForeignKey
ALTER TABLE "data_subject_requests" ADD CONSTRAINT "data_subject_requests_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
