/**
 * Demo users for a fresh data directory (docs/workflow.md, "Demo users"): one login per role, linked
 * to reference officers, all with the admin password. Runs only while `admin` is the only user, so
 * it happens once, on the first start of a new DATA_DIR; creating an existing user is a no-op.
 */
import type { UserService } from './service.js';
import type { ReferenceData } from '../../streams/types.js';
import type { Role } from '../../sql/queries/users.js';

export async function seedDemoUsers(users: UserService, ref: ReferenceData, password: string): Promise<string[]> {
  const existing = await users.list();
  if (existing.some((u) => u.username !== 'admin')) return [];
  const of = (bureau: string, role: string, minLevel = 1) => ref.officers.find((o) => o.bureau === bureau && o.role === role && o.level >= minLevel && o.active !== false);
  const plan: { username: string; role: Role; bureau: string; officer?: string; display_name: string }[] = [];
  const add = (username: string, role: Role, bureau: string, officer: string | undefined, display_name: string) => plan.push({ username, role, bureau, officer, display_name });
  add('leader', 'leader', 'HQ', of('HQ', 'leader')?.id, '市局领导 City leader');
  add('leader_b01', 'leader', 'B01', of('B01', 'leader')?.id, '福田局领导 Futian leader');
  ref.officers.filter((o) => o.bureau === 'HQ' && o.role === 'discipline' && o.active !== false).slice(0, 3)
    .forEach((o, i) => add(`discipline${i + 1}`, 'discipline', 'HQ', o.id, `${o.name} 纪检 Discipline`));
  add('analyst', 'analyst', 'HQ', of('HQ', 'analyst')?.id, '分析员 Analyst');
  add('tax1', 'tax', 'B01', of('B01', 'tax', 3)?.id, '复审员 Reviewer (B01)');
  const created: string[] = [];
  for (const p of plan) {
    if (await users.create({ ...p, password })) created.push(p.username);
  }
  return created;
}
