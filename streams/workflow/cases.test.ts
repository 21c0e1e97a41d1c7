import { describe, expect, it } from 'vitest';
import { acceptsTasks, caseState } from './cases.js';

describe('caseState', () => {
  it('is the least advanced state of its tasks', () => {
    expect(caseState(['investigating', 'resolved', 'closed'])).toBe('investigating');
    expect(caseState(['resolved', 'closed'])).toBe('resolved');
    expect(caseState(['closed', 'closed'])).toBe('closed');
    expect(caseState(['assigned', 'open'])).toBe('open');
  });
  it('is open when it has no task yet', () => { expect(caseState([])).toBe('open'); });
});

describe('acceptsTasks', () => {
  const day = 86_400_000;
  it('takes a task while one of its tasks is unfinished and within the window', () => {
    expect(acceptsTasks({ created_at: 0 }, ['resolved', 'investigating'], 5 * day, 30 * day)).toBe(true);
  });
  it('does not when every task is resolved or closed', () => {
    expect(acceptsTasks({ created_at: 0 }, ['resolved', 'closed'], day, 30 * day)).toBe(false);
  });
  it('does not once the grouping window has passed (a case is about a period, not a career)', () => {
    expect(acceptsTasks({ created_at: 0 }, ['assigned'], 30 * day + 1, 30 * day)).toBe(false);
    expect(acceptsTasks({ created_at: 0 }, ['assigned'], 30 * day, 30 * day)).toBe(true);
  });
});
