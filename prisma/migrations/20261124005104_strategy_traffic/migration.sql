-- AlterTable
ALTER TABLE "strategies" ADD COLUMN     "traffic_percent" INTEGER NOT NULL DEFAULT 100;
