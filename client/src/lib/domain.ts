/** Fixed vocabularies of the spec (events.md, indicators.md, workflow.md). */
export const CATEGORY_LIST = ['service', 'process', 'inspection', 'filing'] as const;
export const SEVERITY_LIST = ['critical', 'high', 'medium', 'low'] as const;
export const PLATFORM_LIST = ['collection', 'administration', 'service', 'inspection', 'internal'] as const;
export const RESULTS = ['confirmed', 'dismissed', 'transferred'] as const;
export const OUTCOMES = ['compliant', 'non_compliant', 'integrity_suspicion'] as const;
export const ASPECTS = ['process', 'policy', 'fairness'] as const;
