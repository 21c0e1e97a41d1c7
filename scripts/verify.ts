/**
 * Offline verifier (docs/draws.md): `npm run verify -- draw <file>` checks an exported draw
 * (GET /api/tasks/:id/draw/export) without the server: the commit record's hash, the seed derived
 * from the chain head at the commit, the candidate list re-derived from the reference data version,
 * the weights and the pick. A review-draw export (GET /api/review-draws/:id/export) is recognised by
 * its format: the committed population, the seed, the stratified sample and each item's reviewers. Exit code 0 when every check passes, 1 when one fails, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { verifyDrawExport, type DrawExport } from '../streams/workflow/draw-proof.js';
import { REVIEW_DRAW_EXPORT_FORMAT, verifyReviewDrawExport, type ReviewDrawExport } from '../streams/workflow/review-draw-proof.js';

function main(argv: string[]): number {
  const [what, file] = argv;
  if (what !== 'draw' || !file) {
    console.error('usage: npm run verify -- draw <export.json>');
    return 2;
  }
  let x: DrawExport;
  try { x = JSON.parse(readFileSync(file, 'utf8')) as DrawExport; } catch (err) {
    console.error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (x.format === REVIEW_DRAW_EXPORT_FORMAT) return reviewDraw(x as unknown as ReviewDrawExport);
  const v = verifyDrawExport(x);
  console.log(`draw ${v.draw} of task ${x.task?.id ?? '?'}`);
  for (const c of v.checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail ?? ''}`}`);
  if (x.commit) console.log(`  commit record seq ${x.commit.seq}, hash ${x.commit.hash} (compare with the chain: GET /api/audit?target=task:${x.task?.id})`);
  console.log(v.ok ? 'VERIFIED: the assignee follows from the committed inputs and the reference data' : 'NOT VERIFIED');
  return v.ok ? 0 : 1;
}

function reviewDraw(x: ReviewDrawExport): number {
  const v = verifyReviewDrawExport(x);
  console.log(`review draw ${v.draw} (${x.draw.from} – ${x.draw.to}, population ${x.population.length}, sampled ${x.draw.items.length})`);
  for (const c of v.checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail ?? ''}`}`);
  if (x.commit) console.log(`  commit record seq ${x.commit.seq}, hash ${x.commit.hash} (compare with the chain: GET /api/audit?target=review_draw:${x.draw.id})`);
  console.log(v.ok ? 'VERIFIED: the sample and its reviewers follow from the committed population and the reference data' : 'NOT VERIFIED');
  return v.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
