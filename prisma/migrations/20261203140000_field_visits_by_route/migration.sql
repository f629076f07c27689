-- CreateIndex
CREATE INDEX "field_visits_route_id_idx" ON "field_visits"("route_id");
