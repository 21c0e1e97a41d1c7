import { describe, expect, it } from 'vitest';
import { CHECKPOINT_DUTY_FACTOR, nextCheckpointGap } from './service.js';

describe('nextCheckpointGap', () => {
  it('keeps the configured interval while captures are fast, and spaces checkpoints to ten capture times when they are slow', () => {
    expect(nextCheckpointGap(30_000, 120)).toBe(30_000);
    expect(nextCheckpointGap(30_000, 7_811)).toBe(78_110);
    expect(nextCheckpointGap(100, 0)).toBe(100);
    expect(CHECKPOINT_DUTY_FACTOR).toBe(10);
  });
});
