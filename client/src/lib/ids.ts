/**
 * Readable ids: tasks, alerts and events carry long ids (a prefix and a hash); lists show a short
 * form and the full id on hover (`title`). The short form keeps the prefix and the last 6
 * characters, enough to tell rows of one screen apart and to find the row by eye.
 */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  if (id.length <= 14) return id;
  const dash = id.indexOf('-');
  const prefix = dash > 0 && dash <= 6 ? id.slice(0, dash + 1) : '';
  return `${prefix}…${id.slice(-6)}`;
}
