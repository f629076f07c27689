// Labels for the API's ageing buckets (the thresholds themselves live in the API's domain/ageing.ts).
import type { AgeingBucket } from './api/types.ts';
import type { Tone } from './format.ts';

export const ageingBucketLabels: Record<AgeingBucket, string> = {
  current: 'Nothing overdue',
  '1-30': '1–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '90+': 'Over 90 days',
};

export const ageingBucketTones: Record<AgeingBucket, Tone> = {
  current: 'good',
  '1-30': 'info',
  '31-60': 'warn',
  '61-90': 'bad',
  '90+': 'severe',
};
