-- CreateEnum
CREATE TYPE "FieldRouteStatus" AS ENUM ('planned', 'in_progress', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "RouteStopStatus" AS ENUM ('pending', 'visited', 'skipped');

-- CreateEnum
CREATE TYPE "FieldContactResult" AS ENUM ('spoke_with_customer', 'spoke_with_other', 'no_one_home', 'moved_away', 'address_not_found', 'refused_to_talk');

-- CreateEnum
CREATE TYPE "RetentionOutcome" AS ENUM ('accepted', 'declined', 'considering');

-- CreateEnum
CREATE TYPE "CardChargeStatus" AS ENUM ('approved', 'declined');

-- CreateEnum
CREATE TYPE "FieldConflictStatus" AS ENUM ('open', 'resolved');

-- AlterTable
ALTER TABLE "branches" ADD COLUMN     "address" TEXT,
ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "longitude" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "audit_route" TEXT,
ADD COLUMN     "corp" TEXT,
ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "longitude" DOUBLE PRECISION,
ADD COLUMN     "postal_code" TEXT,
ADD COLUMN     "service_address" TEXT;

-- CreateTable
CREATE TABLE "field_routes" (
    "id" UUID NOT NULL,
    "branch_id" UUID NOT NULL,
    "rep_id" UUID,
    "name" TEXT NOT NULL,
    "service_date" DATE NOT NULL,
    "status" "FieldRouteStatus" NOT NULL DEFAULT 'planned',
    "group_by" TEXT NOT NULL,
    "group_key" TEXT,
    "start_latitude" DOUBLE PRECISION NOT NULL,
    "start_longitude" DOUBLE PRECISION NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "planned_distance_m" INTEGER NOT NULL DEFAULT 0,
    "planned_duration_s" INTEGER NOT NULL DEFAULT 0,
    "travel_source" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "field_routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route_stops" (
    "id" UUID NOT NULL,
    "route_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "account_id" UUID NOT NULL,
    "task_id" UUID,
    "status" "RouteStopStatus" NOT NULL DEFAULT 'pending',
    "planned_arrival_at" TIMESTAMPTZ(3) NOT NULL,
    "leg_distance_m" INTEGER NOT NULL DEFAULT 0,
    "leg_duration_s" INTEGER NOT NULL DEFAULT 0,
    "service_minutes" INTEGER NOT NULL DEFAULT 15,

    CONSTRAINT "route_stops_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "field_visits" (
    "id" UUID NOT NULL,
    "client_visit_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "case_id" UUID,
    "route_id" UUID,
    "route_stop_id" UUID,
    "rep_id" UUID NOT NULL,
    "branch_id" UUID NOT NULL,
    "device_id" TEXT,
    "arrived_at" TIMESTAMPTZ(3) NOT NULL,
    "departed_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "accuracy_m" DOUBLE PRECISION,
    "contact_result" "FieldContactResult" NOT NULL,
    "payment_amount_minor" BIGINT,
    "payment_method" "PaymentMethod",
    "payment_reference" TEXT,
    "payment_id" UUID,
    "promise_amount_minor" BIGINT,
    "promise_due_date" DATE,
    "promise_id" UUID,
    "retention_offer" TEXT,
    "retention_outcome" "RetentionOutcome",
    "notes" TEXT NOT NULL DEFAULT '',
    "signature_png" BYTEA,
    "signed_by_name" TEXT,
    "receipt_number" TEXT NOT NULL,
    "balance_seen_minor" BIGINT,
    "balance_seen_at" TIMESTAMPTZ(3),
    "currency" CHAR(3) NOT NULL,
    "summary" TEXT NOT NULL,
    "conflict_status" "FieldConflictStatus",
    "conflicts" JSONB,
    "conflict_note" TEXT,
    "conflict_resolved_by_id" UUID,
    "conflict_resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "field_visits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "equipment_returns" (
    "id" UUID NOT NULL,
    "visit_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "rep_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "condition" TEXT,
    "returned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "equipment_returns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card_charges" (
    "id" UUID NOT NULL,
    "visit_id" UUID NOT NULL,
    "processor" TEXT NOT NULL,
    "processor_ref" TEXT,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "CardChargeStatus" NOT NULL,
    "brand" TEXT,
    "last4" TEXT,
    "decline_code" TEXT,
    "decline_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_charges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commission_plans" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commission_plans_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "field_routes_rep_id_service_date_idx" ON "field_routes"("rep_id", "service_date");

-- CreateIndex
CREATE INDEX "field_routes_branch_id_service_date_idx" ON "field_routes"("branch_id", "service_date");

-- CreateIndex
CREATE UNIQUE INDEX "route_stops_task_id_key" ON "route_stops"("task_id");

-- CreateIndex
CREATE INDEX "route_stops_route_id_seq_idx" ON "route_stops"("route_id", "seq");

-- CreateIndex
CREATE INDEX "route_stops_account_id_idx" ON "route_stops"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "field_visits_client_visit_id_key" ON "field_visits"("client_visit_id");

-- CreateIndex
CREATE UNIQUE INDEX "field_visits_payment_id_key" ON "field_visits"("payment_id");

-- CreateIndex
CREATE UNIQUE INDEX "field_visits_receipt_number_key" ON "field_visits"("receipt_number");

-- CreateIndex
CREATE INDEX "field_visits_rep_id_arrived_at_idx" ON "field_visits"("rep_id", "arrived_at");

-- CreateIndex
CREATE INDEX "field_visits_account_id_arrived_at_idx" ON "field_visits"("account_id", "arrived_at");

-- CreateIndex
CREATE INDEX "field_visits_branch_id_arrived_at_idx" ON "field_visits"("branch_id", "arrived_at");

-- CreateIndex
CREATE INDEX "field_visits_conflict_status_idx" ON "field_visits"("conflict_status");

-- CreateIndex
CREATE INDEX "equipment_returns_rep_id_returned_at_idx" ON "equipment_returns"("rep_id", "returned_at");

-- CreateIndex
CREATE INDEX "equipment_returns_serial_idx" ON "equipment_returns"("serial");

-- CreateIndex
CREATE UNIQUE INDEX "equipment_returns_visit_id_serial_key" ON "equipment_returns"("visit_id", "serial");

-- CreateIndex
CREATE UNIQUE INDEX "card_charges_visit_id_key" ON "card_charges"("visit_id");

-- AddForeignKey
ALTER TABLE "route_stops" ADD CONSTRAINT "route_stops_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "field_routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_stops" ADD CONSTRAINT "route_stops_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_stops" ADD CONSTRAINT "route_stops_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "field_visits" ADD CONSTRAINT "field_visits_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "field_visits" ADD CONSTRAINT "field_visits_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "field_routes"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "field_visits" ADD CONSTRAINT "field_visits_route_stop_id_fkey" FOREIGN KEY ("route_stop_id") REFERENCES "route_stops"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "field_visits" ADD CONSTRAINT "field_visits_rep_id_fkey" FOREIGN KEY ("rep_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "equipment_returns" ADD CONSTRAINT "equipment_returns_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "field_visits"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_charges" ADD CONSTRAINT "card_charges_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "field_visits"("id") ON DELETE CASCADE ON UPDATE CASCADE;
