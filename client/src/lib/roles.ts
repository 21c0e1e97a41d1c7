/** Which views each role may open (api.md "Roles and scope"); the server enforces the same. */
export type Role = 'admin' | 'leader' | 'discipline' | 'analyst' | 'tax';
export const ALL_VIEWS = ['wall', 'board', 'analyst', 'work', 'indicators', 'proposals', 'oversight', 'reports'] as const;
export type View = (typeof ALL_VIEWS)[number];

export const VIEWS_BY_ROLE: Record<Role, View[]> = {
  admin: ['wall', 'board', 'analyst', 'work', 'indicators', 'proposals', 'reports'],
  // Leaders sign off resolved tasks (workflow.md: a second person closes).
  leader: ['board', 'wall', 'work', 'indicators', 'reports'],
  discipline: ['wall', 'work', 'indicators'],
  analyst: ['analyst', 'indicators'],
  tax: ['work'],
};

/** Views only an HQ leader has among leaders: four-eyes decisions and the oversight alerts (docs/security.md). */
const HQ_LEADER_VIEWS: View[] = ['proposals', 'oversight'];

export function viewsFor(role: string, bureau?: string): View[] {
  const base = VIEWS_BY_ROLE[role as Role] ?? [];
  return role === 'leader' && bureau === 'HQ' ? [...base, ...HQ_LEADER_VIEWS] : base;
}

export function mayOpen(role: string, view: View, bureau?: string): boolean {
  return viewsFor(role, bureau).includes(view);
}
