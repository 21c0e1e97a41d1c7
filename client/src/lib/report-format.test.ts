import { describe, expect, it } from 'vitest';
import { formatKpiValue, kpiChange } from './report-format';

describe('report formatting', () => {
  it('shows shares as percent and judges a change by the direction that is better for the KPI', () => {
    expect(formatKpiValue('overdue_rate', 0.0123, 'zh-CN')).toBe('1.23%');
    expect(formatKpiValue('alerts', 12345, 'en-GB')).toBe('12,345');
    expect(formatKpiValue('satisfaction_mean', null, 'en-GB')).toBe('—');
    const k = (key: string, change: number | null) => ({ key, change, value: 1, previous: 1, target: null, meets: null, n: null }) as never;
    expect(kpiChange(k('overdue_rate', -0.002), 'en-GB')).toEqual({ text: '−0.20 pp', tone: 'good' });
    expect(kpiChange(k('compliance_rate', -0.05), 'en-GB')).toEqual({ text: '−5.00 pp', tone: 'bad' });
    expect(kpiChange(k('alerts', 7), 'en-GB')).toEqual({ text: '+7', tone: 'bad' });
    expect(kpiChange(k('confirmed_share', 0.1), 'en-GB').tone).toBe('neutral');
    expect(kpiChange(k('petitions', null), 'en-GB')).toEqual({ text: '—', tone: 'neutral' });
  });
});
