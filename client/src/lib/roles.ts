/** Which views each role may open (api.md "Roles and scope"); the server enforces the same. */
export type Role = 'admin' | 'leader' | 'discipline' | 'analyst' | 'tax';
export const ALL_VIEWS = ['wall', 'board', 'analyst', 'work', 'cases', 'indicators', 'proposals', 'oversight', 'reports', 'imports'] as const;
export type View = (typeof ALL_VIEWS)[number];

/**
 * Cases (docs/cases.md): discipline officers work them (the assignee accepts and resolves), leaders
 * sign them off (their bureau; HQ all), administrators read them (the API lets them list and open
 * cases and handovers, never act on them). Analysts may read cases through the API but have no
 * workbench, so no Cases view either; tax officers are refused by the API (403).
 */
export const VIEWS_BY_ROLE: Record<Role, View[]> = {
  admin: ['wall', 'board', 'analyst', 'work', 'cases', 'indicators', 'proposals', 'reports', 'imports'],
  // Leaders sign off resolved tasks (workflow.md: a second person closes).
  leader: ['board', 'wall', 'work', 'cases', 'indicators', 'reports'],
  discipline: ['wall', 'work', 'cases', 'indicators'],
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

/** Roles that read officer profiles (docs/officer-profile.md); the server enforces the same. */
const PROFILE_ROLES = ['admin', 'leader', 'discipline', 'analyst'];

/** Whether a user may open an officer's profile: as for alerts, a bureau leader only their bureau's officers. */
export function mayOpenProfile(user: { role: string; bureau?: string } | null | undefined, officerBureau: string | null | undefined): boolean {
  if (!user || !PROFILE_ROLES.includes(user.role)) return false;
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return officerBureau === user.bureau;
  return true;
}
