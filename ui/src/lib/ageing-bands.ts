// The days-past-due bands offered as a filter on the accounts list (the API's minDaysPastDue/maxDaysPastDue).
export const ageingBands: Record<string, { min?: number; max?: number; label: string }> = {
  '': { label: 'Any age' },
  '1-30': { min: 1, max: 30, label: '1–30 days' },
  '31-60': { min: 31, max: 60, label: '31–60 days' },
  '61-90': { min: 61, max: 90, label: '61–90 days' },
  '90+': { min: 91, label: 'Over 90 days' },
};
