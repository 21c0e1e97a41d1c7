/** The eleven core indicators of indicators.md, exact, as catalog data. */
import type { IndicatorDef } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const coreCatalog: IndicatorDef[] = [
  {
    id: 'SVC-01', version: 1, category: 'service', severity: 'medium', kind: 'predicate', enabled: true,
    name: { zh: '非工作时间审批办结', en: 'Off-hours approval' },
    matters: { power: true }, actions: ['approve', 'complete'],
    params: { when: [{ offHours: true }] },
    rationale: { zh: '权力事项在工作时间（工作日历中的工作日 8:00–18:00：周一至周五，法定节假日除外，调休上班日计入）以外审批或办结，缺少正常监督环境。', en: 'Approving or completing a power matter outside working hours (08:00–18:00 on a working day of the working calendar: Mon–Fri less public holidays, plus make-up working days) escapes normal oversight.' },
  },
  {
    id: 'PRC-01', version: 1, category: 'process', severity: 'high', kind: 'pair', enabled: true,
    name: { zh: '自审自批', en: 'Self-approval' },
    matters: {}, actions: ['accept', 'handle', 'approve'],
    params: { first: { actions: ['accept', 'handle'] }, second: { actions: ['approve'] }, officer: 'same', eitherOrder: true, once: 'item', subject: 'first' },
    rationale: { zh: '同一人受理或经办又审批同一工作项，违反岗责分离。', en: 'The same officer accepting or handling and approving one item breaks the separation of duties.' },
  },
  {
    id: 'PRC-02', version: 1, category: 'process', severity: 'high', kind: 'predicate', enabled: true,
    name: { zh: '越权审批', en: 'Approval beyond authority' },
    matters: {}, actions: ['approve'],
    params: { when: [{ amountAboveLimit: true }] },
    rationale: { zh: '审批金额超过该能级在该事项上的审批权限。', en: 'The approved amount exceeds what the officer\'s level may approve on this matter.' },
  },
  {
    id: 'PRC-03', version: 1, category: 'process', severity: 'high', kind: 'deadline', enabled: true,
    name: { zh: '未经审批办结', en: 'Completed without approval' },
    matters: { power: true }, actions: ['complete', 'approve'],
    params: { start: { actions: ['complete'] }, close: { actions: ['approve'], includeSystem: true }, fixedMs: 0, priorCloseCounts: true },
    rationale: { zh: '权力事项办结时没有任何审批记录，绕过审批环节。', en: 'A power matter completed with no approval on record bypasses the approval step.' },
  },
  {
    id: 'PRC-04', version: 1, category: 'process', severity: 'medium', kind: 'pair', enabled: true,
    name: { zh: '办结后修改', en: 'Modified after completion' },
    matters: {}, actions: ['complete', 'modify'],
    params: { first: { actions: ['complete'], includeSystem: true }, second: { actions: ['modify'] }, officer: 'any', firstOnly: true, strictlyLater: true, once: 'event', subject: 'second', stateTtlMs: 365 * DAY },
    rationale: { zh: '工作项办结后又被修改，可能事后篡改结果。', en: 'Changing an item after it was completed may alter the outcome after the fact.' },
  },
  {
    id: 'PRC-05', version: 1, category: 'process', severity: 'high', kind: 'slidingCount', enabled: true,
    name: { zh: '集中作废', en: 'Cancellation burst' },
    matters: {}, actions: ['cancel'],
    params: { key: ['officer'], count: 5, windowMs: 60 * MIN, quietMs: 60 * MIN },
    rationale: { zh: '一小时内集中作废或撤销多笔业务，可能掩盖违规操作。', en: 'Many cancellations within an hour may hide irregular operations.' },
  },
  {
    id: 'INS-01', version: 1, category: 'inspection', severity: 'medium', kind: 'distinctCount', enabled: true,
    name: { zh: '检查人员与纳税人重复配对', en: 'Repeated inspector–taxpayer pairing' },
    matters: { categories: ['inspection'] }, actions: ['accept'],
    params: { key: ['officer', 'taxpayer'], distinct: 'item', count: 3, windowMs: 90 * DAY, quietMs: 90 * DAY },
    rationale: { zh: '同一检查人员90天内反复承办同一纳税人的案件，易形成利益关系。', en: 'One inspector taking the same taxpayer\'s cases again and again within 90 days invites collusion.' },
  },
  {
    id: 'INS-02', version: 1, category: 'inspection', severity: 'medium', kind: 'elapsed', enabled: true,
    name: { zh: '快速零调整结案', en: 'Fast zero-adjustment close' },
    matters: { categories: ['inspection'] }, actions: ['issue', 'complete'],
    params: { from: { actions: ['issue'], includeSystem: true }, to: { actions: ['complete'] }, op: 'lt', standardHoursFraction: 0.1, toWhen: [{ any: [{ field: 'amount', op: 'absent' }, { field: 'amount', op: '==', value: 0 }] }] },
    rationale: { zh: '检查评估在不到标准时限10%的时间内无调整结案，可能走过场。', en: 'An inspection closed with no adjustment in under 10 % of its standard time may be a sham.' },
  },
  {
    id: 'FIL-01', version: 1, category: 'filing', severity: 'medium', kind: 'slidingCount', enabled: true,
    name: { zh: '备案反复修改', en: 'Repeated filing edits' },
    matters: { categories: ['filing'] }, actions: ['modify'],
    params: { key: ['officer', 'item'], count: 3, windowMs: 24 * HOUR, quietMs: 24 * HOUR },
    rationale: { zh: '同一人员24小时内多次修改同一备案，可能违规调整备案内容。', en: 'One officer editing the same filing three times in 24 hours may be adjusting it improperly.' },
  },
  {
    id: 'TSK-01', version: 1, category: 'process', severity: 'low', kind: 'deadline', enabled: true,
    name: { zh: '工作超期', en: 'Overdue work item' },
    matters: {}, actions: ['issue', 'accept', 'handle', 'complete', 'cancel'],
    params: { start: { actions: ['issue'], includeSystem: true }, close: { actions: ['complete', 'cancel'], includeSystem: true }, handler: { actions: ['accept', 'handle'] }, standardHoursFactor: 1, priorCloseCounts: true },
    rationale: { zh: '工作项超过事项标准时限仍未办结或作废。', en: 'A work item still not completed or cancelled past its matter\'s standard time.' },
  },
  {
    id: 'TSK-02', version: 1, category: 'process', severity: 'medium', kind: 'predicate', enabled: true,
    name: { zh: '人工干预随机分配', en: 'Manual assignment override' },
    matters: { power: true }, actions: ['assign'],
    params: { when: [{ attr: 'mode', eq: 'manual' }] },
    rationale: { zh: '权力事项未按随机分配而由人工指定承办人。', en: 'A power matter assigned by hand instead of at random.' },
  },
];
