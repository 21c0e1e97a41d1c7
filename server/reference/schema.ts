/** Validation of reference data sent to PUT /api/reference (events.md, "Reference data"). */
import { z } from 'zod';
import { CATEGORIES, PLATFORMS } from '../../streams/types.js';
import { dayNumberOf } from '../../streams/time.js';

const code = (max: number) => z.string().min(1).max(max);
// Items keep only the fields the product knows (extra fields are dropped, not refused: reference
// exports from other systems carry more); the top level is strict so a misspelt list name is an error.
export const bureauSchema = z.object({ code: code(16), name: z.string().min(1), name_en: z.string().min(1) });
export const windowSchema = z.object({ code: code(16), bureau: code(16) });
export const officerSchema = z.object({
  id: code(32), name: z.string().min(1), bureau: code(16), level: z.number().int().min(1).max(5),
  role: z.enum(['tax', 'discipline', 'leader', 'analyst']), active: z.boolean().optional(),
});
export const matterSchema = z.object({
  code: code(16), name: z.string().min(1), name_en: z.string().min(1), category: z.enum(CATEGORIES), platform: z.enum(PLATFORMS),
  power: z.boolean(), standard_hours: z.number().positive(), difficulty: z.number().int().min(1).max(5),
  // One limit per level from 1; levels past the end of a shorter list use its last limit.
  limits: z.array(z.number().nonnegative()).min(1).max(5).optional(),
  // Optional fields the indicators read (docs/indicators.md lists which indicator uses which).
  auto: z.boolean().optional(),
  tags: z.array(z.string().min(1).max(32)).max(16).optional(),
  penalty_band: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([lo, hi]) => lo <= hi, 'lowest multiple must not exceed highest').optional(),
  required_docs: z.number().int().min(0).max(100).optional(),
});

const calendarDate = z.string().refine((d) => dayNumberOf(d) !== undefined, { message: 'must be a date YYYY-MM-DD' });
/** Dates in Asia/Shanghai; stored sorted and without repeats. A date may not be both a holiday and a working day. */
export const calendarSchema = z.object({
  holidays: z.array(calendarDate).max(20_000),
  workdays: z.array(calendarDate).max(20_000),
}).strict().superRefine((c, ctx) => {
  const hol = new Set(c.holidays);
  const i = c.workdays.findIndex((d) => hol.has(d));
  if (i >= 0) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${c.workdays[i]} is also in holidays` });
}).transform((c) => ({ holidays: [...new Set(c.holidays)].sort(), workdays: [...new Set(c.workdays)].sort() }));

export const referencePatchSchema = z.object({
  bureaus: z.array(bureauSchema).optional(),
  windows: z.array(windowSchema).optional(),
  officers: z.array(officerSchema).optional(),
  matters: z.array(matterSchema).optional(),
  calendar: calendarSchema.optional(),
}).strict();

export type ReferencePatch = z.infer<typeof referencePatchSchema>;

/** First problem as "field: message", e.g. "matters[3].limits: …". */
export function describeZodError(err: z.ZodError): string {
  const i = err.issues[0]!;
  const path = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`)).join('');
  return `${path || 'body'}: ${i.message}`;
}
