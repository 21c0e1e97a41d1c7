import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/index.js';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { evidence, run } from '../engine/testing/harness.js';

const def = { ...defaultCatalog.find((d) => d.id === 'SVC-05')!, matters: {} }; // gap 10
const acc = (id: string, ticket: number, ms: number, officer = 'B1-O0', bureau = 'B1') => ev({ id, action: 'accept', window: 'W1', bureau, officer, item: id, attrs: { ticket } }, T0 + ms);

describe('rule kind queueJump', () => {
  it('what it does when a ticket is served after one at least 10 higher: alert about who served the higher one, once per jump', () => {
    const alerts = run([def], [acc('j', 30, 0, 'B1-O4'), acc('k', 12, 60_000), acc('l', 11, 120_000), acc('m', 31, 180_000)]);
    expect(evidence(alerts)).toEqual([['j', 'k']]);
    expect(alerts[0]!.officer).toBe('B1-O4');
  });

  it('what it does for a gap under 10, another bureau, the next day, or no ticket: nothing', () => {
    expect(run([def], [acc('j', 30, 0), acc('k', 21, 60_000)])).toEqual([]);
    expect(run([def], [acc('j', 30, 0), acc('k', 5, 60_000, 'B2-O0', 'B2')])).toEqual([]);
    expect(run([def], [acc('j', 30, 0), acc('k', 5, 86_400_000)])).toEqual([]);
    expect(run([def], [acc('j', 30, 0), ev({ id: 'k', action: 'accept', window: 'W1' }, T0 + 60_000)])).toEqual([]);
  });
});
