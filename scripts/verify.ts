/**
 * Offline verifier (docs/draws.md): `npm run verify -- draw <file>` checks an exported draw
 * (GET /api/tasks/:id/draw/export) without the server: the commit record's hash, the seed derived
 * from the chain head at the commit, the candidate list re-derived from the reference data version,
 * the weights and the pick. A review-draw export (GET /api/review-draws/:id/export) is recognised by
 * its format: the committed population, the seed, the stratified sample and each item's reviewers.
 * `npm run verify -- package <zip|json>` checks a handover's evidence package (docs/handover.md): every
 * item's digest against the one committed in the audit chain, each record's hash and link of the chain
 * segment up to the head. Exit code 0 when every check passes, 1 when one fails, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { verifyPackage, type EvidencePackage } from '../streams/handover/package-proof.js';
import { verifyDrawExport, type DrawExport } from '../streams/workflow/draw-proof.js';
import { REVIEW_DRAW_EXPORT_FORMAT, verifyReviewDrawExport, type ReviewDrawExport } from '../streams/workflow/review-draw-proof.js';

function main(argv: string[]): number {
  const [what, file] = argv;
  if (what === 'package' && file) return evidencePackage(file);
  if (what !== 'draw' || !file) {
    console.error('usage: npm run verify -- draw <export.json> | package <package.zip|package.json>');
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

function readPackage(file: string): EvidencePackage {
  const bytes = readFileSync(file);
  // A zip starts with "PK"; anything else is read as the package JSON itself.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const entry = unzipSync(new Uint8Array(bytes), { filter: (f) => f.name === 'package.json' })['package.json'];
    if (!entry) throw new Error('no package.json in the archive');
    return JSON.parse(strFromU8(entry)) as EvidencePackage;
  }
  return JSON.parse(bytes.toString('utf8')) as EvidencePackage;
}

function evidencePackage(file: string): number {
  let p: EvidencePackage;
  try { p = readPackage(file); } catch (err) {
    console.error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const v = verifyPackage(p);
  console.log(`evidence package ${p.handover?.id ?? '?'} of task ${p.handover?.task_id ?? '?'}: ${p.alerts?.length ?? 0} alerts, ${p.events?.length ?? 0} events, ${p.chain?.length ?? 0} audit records`);
  for (const c of v.checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail ?? ''}`}`);
  if (p.chain_head) console.log(`  chain head seq ${p.chain_head.seq}, hash ${p.chain_head.hash} (compare with the operator's published head)`);
  console.log(v.ok ? 'VERIFIED: every item is as committed in the audit chain' : 'NOT VERIFIED');
  return v.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
