-- CreateIndex
CREATE INDEX "activities_user_id_occurred_at_idx" ON "activities"("user_id", "occurred_at");

-- CreateIndex
CREATE INDEX "promises_to_pay_created_by_id_created_at_idx" ON "promises_to_pay"("created_by_id", "created_at");
