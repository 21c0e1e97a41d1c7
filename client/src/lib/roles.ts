/** Which views each role may open (api.md "Roles and scope"); the server enforces the same. */
export type Role = 'admin' | 'leader' | 'discipline' | 'analyst' | 'tax';
export const ALL_VIEWS = ['wall', 'board', 'analyst', 'work', 'indicators', 'reports'] as const;
export type View = (typeof ALL_VIEWS)[number];

export const VIEWS_BY_ROLE: Record<Role, View[]> = {
  admin: ['wall', 'board', 'analyst', 'work', 'indicators', 'reports'],
  // Leaders sign off resolved tasks (workflow.md: a second person closes).
  leader: ['board', 'wall', 'work', 'indicators', 'reports'],
  discipline: ['wall', 'work', 'indicators'],
  analyst: ['analyst', 'indicators'],
  tax: ['work'],
};

export function viewsFor(role: string): View[] {
  return VIEWS_BY_ROLE[role as Role] ?? [];
}

export function mayOpen(role: string, view: View): boolean {
  return viewsFor(role).includes(view);
}
