-- CreateIndex
CREATE INDEX "collection_cases_strategy_id_idx" ON "collection_cases"("strategy_id");
