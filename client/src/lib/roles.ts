/** Which views each role may open (api.md "Roles and scope"); the server enforces the same. */
export type Role = 'admin' | 'leader' | 'discipline' | 'analyst' | 'tax';
export type View = 'wall' | 'board' | 'analyst' | 'work' | 'indicators';

export const VIEWS_BY_ROLE: Record<Role, View[]> = {
  admin: ['wall', 'board', 'analyst', 'work', 'indicators'],
  // Leaders sign off resolved tasks (workflow.md: a second person closes).
  leader: ['board', 'wall', 'work', 'indicators'],
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
