import { describe, expect, it } from 'vitest';
import { taskBelongs, upsertTask } from './worklist';
import type { TaskDTO } from '../../../server/socket/events';

const task = (id: string, over: Partial<TaskDTO> = {}) => ({ id, state: 'assigned', assignee: 'D1', ...over }) as TaskDTO;

describe('taskBelongs', () => {
  it("keeps another officer's task out of my list, and keeps mine (positive control)", () => {
    expect(taskBelongs(task('a', { assignee: 'D2' }), { mineOf: 'D1', state: 'unfinished' })).toBe(false);
    expect(taskBelongs(task('a'), { mineOf: 'D1', state: 'unfinished' })).toBe(true);
    expect(taskBelongs(task('a', { assignee: 'D2' }), { mineOf: null, state: 'unfinished' })).toBe(true);
  });
  it('applies the state filter', () => {
    expect(taskBelongs(task('a', { state: 'closed' }), { mineOf: null, state: 'unfinished' })).toBe(false);
    expect(taskBelongs(task('a', { state: 'closed' }), { mineOf: null, state: 'closed' })).toBe(true);
    expect(taskBelongs(task('a', { state: 'closed' }), { mineOf: null, state: 'all' })).toBe(true);
  });
});

describe('upsertTask', () => {
  const list = [task('b'), task('a')];
  it('updates in place, removes what no longer belongs, prepends new ones when newest first', () => {
    expect(upsertTask(list, task('a', { state: 'investigating' }), true, 'created_desc').list.map((x) => x.state)).toEqual(['assigned', 'investigating']);
    expect(upsertTask(list, task('a', { assignee: 'D2' }), false, 'created_desc').list.map((x) => x.id)).toEqual(['b']);
    expect(upsertTask(list, task('c'), true, 'created_desc').list.map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(upsertTask(list, task('c'), false, 'created_desc').list).toBe(list);
  });
  it('does not guess the place of a new task in another order: it asks for a reload', () => {
    const r = upsertTask(list, task('c'), true, 'deadline_asc');
    expect(r.list.map((x) => x.id)).toEqual(['b', 'a']);
    expect(r.outOfView).toBe(true);
  });
});
