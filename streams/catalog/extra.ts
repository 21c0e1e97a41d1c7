/**
 * The 98 indicators beyond the core eleven (domain.md "Where indicators come from"). Each is a
 * rule kind applied to a matter group with its own thresholds. Thresholds are set so normal
 * traffic stays quiet; many rely on optional attrs that business systems may send:
 *
 * | attr | on | meaning |
 * |---|---|---|
 * | `reason` | reject / cancel | the stated reason (well-known) |
 * | `mode` | assign | `random` \| `manual` (well-known) |
 * | `score` | rate | 1–5 (well-known) |
 * | `kind` | petition | complaint, report, appeal, … (well-known) |
 * | `assignee` | assign | officer id the item goes to |
 * | `field` | modify | which field was changed (amount, period, attachment, contact, bank_account, tax_basis, rating, quota) |
 * | `rating_manual` | modify / approve | `true` when a credit rating was set by hand |
 * | `quota_increase` | approve / complete | relative invoice-quota increase (0.5 = +50 %) |
 * | `queue_skip` | accept | `true` when served out of queue order |
 * | `selection` | issue | case selection: `system` \| `manual` |
 * | `stage` | any inspection action | selection, examination, trial, enforcement |
 * | `penalty_waived` | complete / approve | `true` when a penalty was waived |
 * | `penalty_below_band` | complete / approve | `true` when the penalty is below the discretion band |
 * | `docs_complete` | complete | `false` when required documents are missing |
 * | `trial_reviewed` | complete | `false` when an inspection case skipped trial review |
 * | `amount_delta` | modify | signed change of the amount (negative = cut) |
 * | `backdated_days` | accept / complete | how many days the effective date lies before the filing |
 * | `preferential` | accept / complete | `true` for a preferential-policy filing |
 * | `attachments` | accept / complete | number of attachments |
 * | `deregistration` | complete | `true` for a deregistration |
 * | `arrears` | complete | outstanding arrears in CNY |
 * | `taxpayer_credit` | approve | the taxpayer's credit grade A/B/M/C/D |
 */
import type { Action, Category, Severity } from '../types.js';
import type { Condition, IndicatorDef, MatterFilter, RuleKind, RuleParams, Step } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function d(
  id: string, category: Category, severity: Severity, kind: RuleKind,
  zh: string, en: string, actions: Action[], matters: MatterFilter, params: RuleParams,
  rzh: string, ren: string, attrs?: string[],
): IndicatorDef {
  const def: IndicatorDef = { id, version: 1, name: { zh, en }, category, severity, kind, params, matters, actions, enabled: true, rationale: { zh: rzh, en: ren } };
  if (attrs) def.attrs = attrs;
  return def;
}
const pred = (when: Condition[]) => ({ when });
const S = (actions: Action[], when?: Condition[], includeSystem?: boolean): Step => {
  const s: Step = { actions };
  if (when) s.when = when;
  if (includeSystem) s.includeSystem = true;
  return s;
};
const noReason: Condition = { attr: 'reason', op: 'absent' };
const zeroAmount: Condition = { any: [{ field: 'amount', op: 'absent' }, { field: 'amount', op: '==', value: 0 }] };
const lowScore: Condition = { attr: 'score', op: '<=', value: 1 };

const SERVICE: MatterFilter = { categories: ['service'] };
const SERVICE_POWER: MatterFilter = { categories: ['service'], power: true };
const PROCESS: MatterFilter = { categories: ['process'] };
const POWER: MatterFilter = { power: true };
const INSP: MatterFilter = { categories: ['inspection'] };
const FILING: MatterFilter = { categories: ['filing'] };
const ALL: MatterFilter = {};

export const extraCatalog: IndicatorDef[] = [
  // ---------------- service 纳税服务 ----------------
  d('SVC-02', 'service', 'medium', 'predicate', '不予通过未说明理由', 'Rejection without a reason', ['reject'], SERVICE, pred([noReason]),
    '纳税服务事项不予通过却未记录理由，纳税人无法申辩，易被用于刁难。', 'A service request rejected with no recorded reason leaves the taxpayer no recourse and can hide obstruction.', ['reason']),
  d('SVC-03', 'service', 'high', 'predicate', '人工调整纳税信用等级', 'Credit rating changed by hand', ['modify', 'approve'], ALL, pred([{ attr: 'rating_manual', eq: true }]),
    '纳税信用等级应由系统评定，人工改动可能为企业谋取便利。', 'Credit ratings are computed by the system; a manual change can buy a taxpayer advantages.', ['rating_manual']),
  d('SVC-04', 'service', 'high', 'predicate', '发票额度超规定调增', 'Invoice quota raised beyond the rule', ['approve', 'complete'], ALL, pred([{ attr: 'quota_increase', op: '>', value: 1 }]),
    '一次调增发票领用额度超过100%，超出常规核定范围，存在虚开风险。', 'Raising an invoice quota by more than 100 % at once exceeds the usual assessment and enables false invoicing.', ['quota_increase']),
  d('SVC-05', 'service', 'low', 'predicate', '窗口插队办理', 'Served out of queue order', ['accept'], SERVICE, pred([{ attr: 'queue_skip', eq: true }]),
    '窗口不按排队顺序受理，可能存在关系办税。', 'Accepting out of queue order at a window suggests favours for connected taxpayers.', ['queue_skip']),
  d('SVC-06', 'service', 'medium', 'distinctCount', '同一人员反复服务同一纳税人', 'Same officer serving the same taxpayer repeatedly', ['accept'], SERVICE,
    { key: ['officer', 'taxpayer'], distinct: 'item', count: 8, windowMs: 30 * DAY, quietMs: 30 * DAY },
    '30天内同一税务人员受理同一纳税人8件以上服务事项，固定服务关系易生利益输送。', 'One officer accepting eight or more service items of one taxpayer in 30 days forms a fixed relationship prone to favours.'),
  d('SVC-07', 'service', 'medium', 'predicate', '跨局窗口受理', 'Window of another bureau', ['accept'], SERVICE, pred([{ windowOtherBureau: true }]),
    '事项所属局与受理窗口所属局不一致，可能规避属地管理。', 'Accepting at a window of another bureau than the item\'s may evade territorial oversight.'),
  d('SVC-08', 'service', 'medium', 'predicate', '跨局审批办结', 'Approval by an officer of another bureau', ['approve', 'complete'], SERVICE_POWER, pred([{ crossBureau: true }]),
    '权力事项由非本局人员审批或办结，超出岗位职责范围。', 'A power matter approved or completed by an officer from another bureau exceeds that officer\'s remit.'),
  d('SVC-09', 'service', 'low', 'slidingCount', '差评集中', 'Cluster of very low ratings', ['rate'], SERVICE,
    { key: ['officer'], count: 4, windowMs: 30 * DAY, quietMs: 30 * DAY, when: [lowScore] },
    '30天内同一人员收到4次1分评价，服务态度或作风可能存在问题。', 'Four 1-star ratings for one officer within 30 days point to conduct problems.'),
  d('SVC-10', 'service', 'medium', 'slidingCount', '服务事项信访集中', 'Petitions about one officer\'s service', ['petition'], SERVICE,
    { key: ['officer'], count: 3, windowMs: 90 * DAY, quietMs: 90 * DAY },
    '90天内针对同一人员服务事项的信访达3次。', 'Three petitions about one officer\'s service items within 90 days.'),
  d('SVC-11', 'service', 'medium', 'predicate', '深夜窗口受理', 'Window acceptance late at night', ['accept'], SERVICE, pred([{ night: true }, { field: 'window', op: 'exists' }]),
    '窗口在22:00至次日6:00受理业务，窗口已关闭，可能为补录或私下办理。', 'A window acceptance between 22:00 and 06:00, when windows are closed, suggests back-filled or private handling.'),
  d('SVC-12', 'service', 'medium', 'predicate', '跨局人员窗口受理', 'Window acceptance by an officer of another bureau', ['accept'], SERVICE, pred([{ crossBureau: true }, { field: 'window', op: 'exists' }]),
    '窗口业务由非本局人员受理，可能借用他人窗口办理。', 'A window acceptance by an officer of another bureau may be handling through a borrowed window.'),
  d('SVC-13', 'service', 'medium', 'elapsed', '退税秒批', 'Refund approved within minutes of issue', ['issue', 'approve'], SERVICE_POWER,
    { from: S(['issue'], undefined, true), to: S(['approve']), op: 'lt', thresholdMs: 15 * MIN },
    '权力服务事项下发后15分钟内即审批，审核流于形式。', 'Approving a power service item within 15 minutes of issue leaves no time for review.'),
  d('SVC-14', 'service', 'low', 'peerOutlier', '日不予通过量异常', 'Daily rejections far above peers', ['reject'], SERVICE,
    { period: 'day', numerator: S(['reject']), z: 3, minCount: 6, minPeers: 8 },
    '同一人员一日内不予通过量显著高于同局同事，可能刁难纳税人。', 'An officer rejecting far more service requests in a day than bureau peers may be obstructing taxpayers.'),
  d('SVC-15', 'service', 'low', 'peerOutlier', '周差评率异常', 'Weekly low-rating share far above peers', ['rate'], SERVICE,
    { period: 'week', numerator: S(['rate'], [lowScore]), denominator: S(['rate']), z: 3, minCount: 3, minPeers: 8 },
    '一周内1分评价占比显著高于同局同事。', 'A share of 1-star ratings in a week far above bureau peers.'),
  d('SVC-16', 'service', 'medium', 'predicate', '卡限额审批', 'Approval just below the authority limit', ['approve'], SERVICE_POWER, pred([{ amountNearLimit: 0.99 }]),
    '审批金额恰好落在本人权限上限的99%–100%之间，可能拆分或凑额规避上级审批。', 'An amount within 1 % below the officer\'s limit may be shaped to avoid higher approval.'),
  d('SVC-17', 'service', 'high', 'predicate', '非在册人员审批', 'Approval by an officer not on record', ['approve', 'complete'], SERVICE_POWER, pred([{ unknownOfficer: true }]),
    '审批或办结人不在人员名册中，可能冒用账号。', 'The approver or completer is not in the officer register: a borrowed or ghost account.'),
  d('SVC-18', 'service', 'low', 'predicate', '整数大额退税', 'Large round-sum refund', ['approve'], SERVICE_POWER, pred([{ amountMultipleOf: 10000 }, { field: 'amount', op: '>=', value: 50000 }]),
    '5万元以上且为整万元的退税审批，与真实税款计算结果不符的可能性大。', 'A refund of 50,000 CNY or more in whole ten-thousands rarely results from a real tax computation.'),
  d('SVC-19', 'service', 'medium', 'slidingCount', '短时密集审批', 'Burst of approvals', ['approve'], SERVICE_POWER,
    { key: ['officer'], count: 15, windowMs: 60 * MIN, quietMs: 60 * MIN },
    '一小时内审批15件以上权力服务事项，难以逐件审核。', 'Fifteen or more power service approvals within an hour cannot each have been reviewed.'),
  d('SVC-20', 'service', 'low', 'deadline', '办结后未反馈', 'No feedback after completion', ['complete', 'feedback'], SERVICE_POWER,
    { start: S(['complete']), close: S(['feedback'], undefined, true), fixedMs: 7 * DAY },
    '权力服务事项办结7天内没有结果反馈，纳税人不知结果。', 'No result feedback within 7 days after completing a power service item.'),
  d('SVC-21', 'service', 'high', 'pair', '审批后被他人作废', 'Approved item cancelled by another officer', ['approve', 'cancel'], SERVICE_POWER,
    { first: S(['approve']), second: S(['cancel']), officer: 'different', strictlyLater: true, once: 'item', subject: 'second' },
    '已审批的权力服务事项被他人作废，可能撤销合规决定。', 'Someone else cancelling an approved power service item may undo a proper decision.'),
  d('SVC-22', 'service', 'high', 'predicate', '非业务岗位办理业务', 'Business handled by non-business staff', ['accept', 'handle', 'approve', 'complete'], SERVICE, pred([{ officerRole: ['discipline', 'analyst'] }]),
    '纪检或分析岗位人员直接办理纳税服务业务，岗位职责混同。', 'Discipline or analyst staff handling service items mixes duties that must stay apart.'),
  d('SVC-23', 'service', 'high', 'predicate', '为失信纳税人审批', 'Approval for a D-rated taxpayer', ['approve'], SERVICE_POWER, pred([{ attr: 'taxpayer_credit', eq: 'D' }]),
    '为纳税信用D级（失信）纳税人审批退税等权力服务事项，应从严审核。', 'Approving a refund or similar power service for a D-rated (untrustworthy) taxpayer calls for strict review.', ['taxpayer_credit']),
  d('SVC-24', 'service', 'medium', 'predicate', '欠税纳税人办结服务事项', 'Service completed for a taxpayer in arrears', ['complete'], SERVICE_POWER, pred([{ attr: 'arrears', op: '>', value: 0 }]),
    '纳税人存在欠税仍办结权力服务事项（如代开发票、退税）。', 'A power service item (invoice, refund) completed while the taxpayer owes arrears.', ['arrears']),
  d('SVC-25', 'service', 'low', 'predicate', '被举报', 'Reported by a taxpayer', ['petition'], SERVICE, pred([{ attr: 'kind', eq: 'report' }]),
    '纳税人针对服务事项的举报类信访，需纪检关注。', 'A taxpayer report (not a mere complaint) about a service item needs the discipline office\'s attention.'),

  // ---------------- process 流程应对 ----------------
  d('PRC-06', 'process', 'medium', 'slidingCount', '同一人反复改派', 'Item reassigned repeatedly by one officer', ['assign'], ALL,
    { key: ['officer', 'item'], count: 3, windowMs: 7 * DAY, quietMs: 7 * DAY },
    '同一人员7天内对同一工作项分配3次，可能在挑选承办人。', 'One officer assigning the same item three times in 7 days may be picking the handler.'),
  d('PRC-07', 'process', 'medium', 'slidingCount', '集中不予通过', 'Rejection burst', ['reject'], ALL,
    { key: ['officer'], count: 8, windowMs: 60 * MIN, quietMs: 60 * MIN },
    '一小时内不予通过8件以上，可能借机刁难或批量处理。', 'Eight or more rejections within an hour suggests obstruction or rubber-stamping.'),
  d('PRC-08', 'process', 'high', 'predicate', '处罚低于裁量基准', 'Penalty below the discretion band', ['approve', 'complete'], ALL, pred([{ attr: 'penalty_below_band', eq: true }]),
    '处罚金额低于行政处罚裁量基准下限。', 'A penalty below the lower bound of the discretion band for the offence.', ['penalty_below_band']),
  d('PRC-09', 'process', 'medium', 'predicate', '作废未说明理由', 'Cancellation without a reason', ['cancel'], ALL, pred([noReason]),
    '作废或撤销业务未记录理由。', 'A cancellation with no recorded reason.', ['reason']),
  d('PRC-10', 'process', 'high', 'pair', '审批人审批后修改', 'Approver modifies after approving', ['approve', 'modify'], POWER,
    { first: S(['approve']), second: S(['modify']), officer: 'same', strictlyLater: true, once: 'event', subject: 'second' },
    '审批人在审批后亲自修改业务数据，可能改动已批准内容。', 'The approver changing an item after approving it may alter what was approved.'),
  d('PRC-11', 'process', 'high', 'pair', '先审批后受理', 'Approved before it was accepted', ['approve', 'accept'], POWER,
    { first: S(['approve']), second: S(['accept']), officer: 'any', strictlyLater: true, firstOnly: true, once: 'item', subject: 'first' },
    '审批早于受理，流程倒置，可能事后补录。', 'Approval before acceptance inverts the process and suggests back-filled records.'),
  d('PRC-12', 'process', 'medium', 'elapsed', '大额受理即审批', 'Large approval within a minute of acceptance', ['accept', 'approve'], POWER,
    { from: S(['accept']), to: S(['approve']), op: 'lt', thresholdMs: MIN, toWhen: [{ amountOfTopLimit: 0.5 }] },
    '金额达最高权限一半以上的权力事项受理后1分钟内即审批，审核流于形式。', 'Approving a large power matter (half the top limit or more) within a minute of acceptance leaves no time for review.'),
  d('PRC-13', 'process', 'low', 'elapsed', '审批后长期未办结', 'Completed long after approval', ['approve', 'complete'], POWER,
    { from: S(['approve']), to: S(['complete']), op: 'gt', thresholdMs: 30 * DAY },
    '审批后超过30天才办结，审批结论可能已被搁置或另作他用。', 'Completing more than 30 days after approval: the decision may have been shelved or reused.'),
  d('PRC-14', 'process', 'medium', 'deadline', '审批后未办结', 'Approved but not completed', ['approve', 'complete', 'cancel'], POWER,
    { start: S(['approve']), close: S(['complete', 'cancel'], undefined, true), fixedMs: 7 * DAY },
    '权力事项审批通过7天后仍未办结或作废。', 'A power matter still neither completed nor cancelled 7 days after approval.'),
  d('PRC-15', 'process', 'medium', 'peerOutlier', '周作废量异常', 'Weekly cancellations far above peers', ['cancel'], ALL,
    { period: 'week', numerator: S(['cancel']), z: 3, minCount: 5, minPeers: 8 },
    '一周内作废量显著高于同局同事。', 'Far more cancellations in a week than bureau peers.'),
  d('PRC-16', 'process', 'low', 'peerOutlier', '日审批量异常', 'Daily approvals far above peers', ['approve'], POWER,
    { period: 'day', numerator: S(['approve']), z: 3.5, minCount: 20, minPeers: 8 },
    '一日审批量显著高于同局同事，可能未实质审核。', 'Far more approvals in a day than bureau peers: likely no real review.'),
  d('PRC-17', 'process', 'medium', 'predicate', '普通岗位人工分配', 'Manual assignment by a tax officer', ['assign'], ALL, pred([{ attr: 'mode', eq: 'manual' }, { officerRole: ['tax'] }]),
    '非领导岗位人员人工指定承办人，超出岗位权限。', 'A tax officer (not a leader) assigning by hand exceeds the role\'s powers.'),
  d('PRC-18', 'process', 'medium', 'predicate', '顶格金额审批', 'Approval near the top limit', ['approve'], POWER, pred([{ amountOfTopLimit: 0.9 }]),
    '审批金额达到最高能级权限的90%以上，应集体审议。', 'An amount at 90 % or more of the highest level\'s limit should have a collective decision.'),
  d('PRC-19', 'process', 'medium', 'slidingCount', '集中修改', 'Modification burst', ['modify'], ALL,
    { key: ['officer'], count: 10, windowMs: 60 * MIN, quietMs: 60 * MIN },
    '一小时内修改10次以上业务数据。', 'Ten or more modifications within an hour.'),
  d('PRC-20', 'process', 'high', 'predicate', '作废大额权力事项', 'Large power matter cancelled', ['cancel'], POWER, pred([{ amountOfTopLimit: 0.5 }]),
    '作废金额达到最高审批权限一半以上的权力事项，可能撤销对纳税人不利的决定。', 'Cancelling a power matter worth half the top approval limit or more may undo a decision against the taxpayer.'),
  d('PRC-21', 'process', 'medium', 'distinctCount', '反复为同一纳税人审批', 'Repeated approvals for one taxpayer', ['approve'], POWER,
    { key: ['officer', 'taxpayer'], distinct: 'item', count: 5, windowMs: 30 * DAY, quietMs: 30 * DAY },
    '30天内同一人员为同一纳税人审批5件以上权力事项。', 'One officer approving five or more power items of one taxpayer within 30 days.'),
  d('PRC-22', 'process', 'high', 'pair', '审批人审批前变更账户', 'Approver changed the bank account before approving', ['modify', 'approve'], POWER,
    { first: S(['modify'], [{ attr: 'field', eq: 'bank_account' }]), second: S(['approve']), officer: 'same', strictlyLater: true, withinMs: 24 * HOUR, once: 'item', subject: 'first' },
    '审批人在审批前24小时内亲自修改银行账户，退税款可能被转移。', 'The approver changing the bank account within 24 hours before approving may divert the refund.', ['field']),
  d('PRC-23', 'process', 'medium', 'elapsed', '驳回后速批', 'Approved minutes after a rejection', ['reject', 'approve'], POWER,
    { from: S(['reject']), to: S(['approve']), op: 'lt', thresholdMs: 10 * MIN },
    '不予通过后10分钟内即审批通过，补正不可能如此之快。', 'Approval within 10 minutes of a rejection: no real correction can happen that fast.'),
  d('PRC-24', 'process', 'high', 'slidingCount', '反复非工作时间审批', 'Repeated off-hours approvals', ['approve'], POWER,
    { key: ['officer'], count: 3, windowMs: 7 * DAY, quietMs: 7 * DAY, when: [{ offHours: true }] },
    '7天内同一人员3次在工作时间以外审批权力事项，已成习惯。', 'Three off-hours approvals of power matters by one officer within 7 days: a habit, not an exception.'),
  d('PRC-25', 'process', 'medium', 'distinctCount', '一人跨多局办理', 'One officer working across bureaus', ['accept', 'handle', 'approve'], ALL,
    { key: ['officer'], distinct: 'bureau', count: 3, windowMs: 7 * DAY, quietMs: 7 * DAY },
    '同一人员7天内在3个以上局办理业务，账号可能被共用。', 'One officer acting in three or more bureaus within 7 days: the account may be shared.'),
  d('PRC-26', 'process', 'high', 'predicate', '分配给自己', 'Assigned to oneself', ['assign'], ALL, pred([{ attrIsOfficer: 'assignee' }]),
    '分配人将工作项分配给自己，规避随机分配。', 'Assigning an item to oneself circumvents random assignment.', ['assignee']),
  d('PRC-27', 'process', 'low', 'deadline', '驳回后长期未处理', 'Rejected item left untouched', ['reject', 'handle', 'approve', 'complete', 'cancel'], POWER,
    { start: S(['reject']), close: S(['handle', 'approve', 'complete', 'cancel'], undefined, true), fixedMs: 15 * DAY },
    '权力事项不予通过后15天无任何后续处理，可能被刻意搁置。', 'No follow-up 15 days after a rejection: the item may be deliberately shelved.'),
  d('PRC-28', 'process', 'medium', 'predicate', '跨局审批流程事项', 'Process matter approved by an officer of another bureau', ['approve'], PROCESS, pred([{ crossBureau: true }]),
    '流程事项由非本局人员审批，超出审批管辖。', 'A process matter approved by an officer of another bureau is outside that officer\'s jurisdiction.'),
  d('PRC-29', 'process', 'low', 'peerOutlier', '周修改率异常', 'Weekly modification rate far above peers', ['modify', 'complete'], ALL,
    { period: 'week', numerator: S(['modify']), denominator: S(['complete']), z: 3, minCount: 6, minPeers: 8 },
    '一周内修改次数与办结数之比显著高于同局同事。', 'A ratio of modifications to completions in a week far above bureau peers.'),
  d('PRC-30', 'process', 'medium', 'predicate', '非工作时间不予通过', 'Off-hours rejection of a power matter', ['reject'], POWER, pred([{ offHours: true }]),
    '在工作时间以外对权力事项作出不予通过决定。', 'A power matter rejected outside working hours.'),

  // ---------------- inspection 检查评估 ----------------
  d('INS-03', 'inspection', 'high', 'predicate', '人工选案', 'Case selected by hand', ['issue'], INSP, pred([{ attr: 'selection', eq: 'manual' }]),
    '检查案件由人工而非系统选取，可能选择性执法。', 'A case picked by hand instead of by the system allows selective enforcement.', ['selection']),
  d('INS-04', 'inspection', 'high', 'predicate', '免除处罚', 'Penalty waived', ['approve', 'complete'], INSP, pred([{ attr: 'penalty_waived', eq: true }]),
    '检查案件免除处罚，需复核依据。', 'A waived penalty in an inspection case needs its grounds reviewed.', ['penalty_waived']),
  d('INS-05', 'inspection', 'medium', 'predicate', '资料不全结案', 'Case closed without required documents', ['complete'], INSP, pred([{ attr: 'docs_complete', eq: false }]),
    '案件结案时必备文书不全。', 'A case closed without its required documents.', ['docs_complete']),
  d('INS-06', 'inspection', 'high', 'pair', '审理后调减调整额', 'Adjustment cut after trial review', ['approve', 'modify'], INSP,
    { first: S(['approve']), second: S(['modify'], [{ attr: 'amount_delta', op: '<', value: 0 }]), officer: 'any', strictlyLater: true, once: 'event', subject: 'second' },
    '审理通过后又调减查补金额，可能人情减免。', 'Cutting the assessed adjustment after trial review may be a favour.', ['amount_delta']),
  d('INS-07', 'inspection', 'low', 'predicate', '周末结案', 'Inspection closed at the weekend', ['complete'], INSP, pred([{ weekend: true }]),
    '检查案件在周末结案，缺少正常审核环境。', 'An inspection case closed at the weekend escapes normal review.'),
  d('INS-08', 'inspection', 'medium', 'pair', '选案人自行检查', 'Case selector inspects the case', ['issue', 'accept'], INSP,
    { first: S(['issue']), second: S(['accept']), officer: 'same', once: 'item', subject: 'first' },
    '选案与检查由同一人完成，违反选审分离。', 'Selecting and examining a case oneself breaks the separation of selection and examination.'),
  d('INS-09', 'inspection', 'medium', 'slidingCount', '频繁零调整结案', 'Frequent zero-adjustment closes', ['complete'], INSP,
    { key: ['officer'], count: 5, windowMs: 7 * DAY, quietMs: 7 * DAY, when: [zeroAmount] },
    '7天内同一检查人员5件案件无调整结案。', 'Five cases of one inspector closed with no adjustment within 7 days.'),
  d('INS-10', 'inspection', 'high', 'predicate', '执行阶段撤案', 'Case cancelled at enforcement', ['cancel'], INSP, pred([{ attr: 'stage', eq: 'enforcement' }]),
    '案件进入执行阶段后被撤销，查补税款可能流失。', 'A case cancelled once in enforcement may let assessed tax go uncollected.', ['stage']),
  d('INS-11', 'inspection', 'low', 'deadline', '结案后未反馈', 'No feedback after a case closes', ['complete', 'feedback'], INSP,
    { start: S(['complete']), close: S(['feedback'], undefined, true), fixedMs: 15 * DAY },
    '检查案件结案15天内未反馈结果。', 'No result feedback within 15 days after an inspection case closes.'),
  d('INS-12', 'inspection', 'medium', 'peerOutlier', '周零调整率异常', 'Weekly zero-adjustment share far above peers', ['complete'], INSP,
    { period: 'week', numerator: S(['complete'], [zeroAmount]), denominator: S(['complete']), z: 3, minCount: 4, minPeers: 8 },
    '一周内无调整结案占比显著高于同局检查人员。', 'A share of zero-adjustment closes in a week far above bureau peers.'),
  d('INS-13', 'inspection', 'medium', 'predicate', '跨局检查', 'Inspection by an officer of another bureau', ['accept', 'handle'], INSP, pred([{ crossBureau: true }]),
    '检查案件由非本局人员受理或经办。', 'An inspection case accepted or handled by an officer of another bureau.'),
  d('INS-14', 'inspection', 'high', 'predicate', '调减查补金额', 'Assessed amount reduced', ['modify'], INSP, pred([{ attr: 'amount_delta', op: '<', value: 0 }]),
    '检查案件的查补金额被调减。', 'The assessed amount of an inspection case was reduced.', ['amount_delta']),
  d('INS-15', 'inspection', 'high', 'pair', '检查中被他人撤案', 'Case cancelled by another officer during examination', ['handle', 'cancel'], INSP,
    { first: S(['handle']), second: S(['cancel']), officer: 'different', strictlyLater: true, once: 'item', subject: 'second' },
    '检查人员已开展检查后案件被其他人员撤销，可能干预办案。', 'A case cancelled by someone else after examination began may be interference.'),
  d('INS-16', 'inspection', 'medium', 'slidingCount', '检查人员信访集中', 'Petitions about one inspector', ['petition'], INSP,
    { key: ['officer'], count: 2, windowMs: 180 * DAY, quietMs: 180 * DAY },
    '180天内针对同一检查人员的信访达2次。', 'Two petitions about one inspector within 180 days.'),
  d('INS-17', 'inspection', 'high', 'predicate', '低能级人员审理大案', 'Major case approved by a junior officer', ['approve'], INSP, pred([{ officerLevelAtMost: 2 }, { field: 'amount', op: '>=', value: 1_000_000 }]),
    '查补金额100万元以上的检查案件由1–2级人员审理通过，审理层级不足。', 'An inspection case of one million CNY or more approved at trial review by a level 1–2 officer lacks the required seniority.'),
  d('INS-18', 'inspection', 'low', 'predicate', '深夜检查操作', 'Inspection work late at night', ['handle', 'complete'], INSP, pred([{ night: true }]),
    '22:00至次日6:00办理检查业务，可能私下处理。', 'Inspection work between 22:00 and 06:00 may be done privately.'),
  d('INS-19', 'inspection', 'high', 'predicate', '未经审理结案', 'Closed without trial review', ['complete'], INSP, pred([{ attr: 'trial_reviewed', eq: false }]),
    '应经审理的检查案件未经审理即结案。', 'A case that needs trial review closed without it.', ['trial_reviewed']),
  d('INS-20', 'inspection', 'medium', 'predicate', '低能级人员办结大案', 'Major case closed by a junior inspector', ['complete'], INSP, pred([{ field: 'amount', op: '>', value: 10_000_000 }, { officerLevelAtMost: 2 }]),
    '查补金额超过1000万元的案件由1–2级人员结案，超出能级。', 'A case over 10 million CNY closed by a level 1–2 inspector exceeds that level.'),
  d('INS-21', 'inspection', 'medium', 'slidingCount', '检查人员频繁撤案', 'Inspector cancels cases repeatedly', ['cancel'], INSP,
    { key: ['officer'], count: 3, windowMs: 30 * DAY, quietMs: 30 * DAY },
    '30天内同一检查人员撤销3件以上案件。', 'One inspector cancelling three or more cases within 30 days.'),
  d('INS-22', 'inspection', 'low', 'deadline', '下发后未受理', 'Case not accepted after issue', ['issue', 'accept', 'cancel', 'complete'], INSP,
    { start: S(['issue'], undefined, true), close: S(['accept', 'cancel', 'complete'], undefined, true), fixedMs: 10 * DAY },
    '检查案件下发10天仍无人受理。', 'An inspection case nobody accepted within 10 days of issue.'),
  d('INS-23', 'inspection', 'medium', 'slidingCount', '频繁人工分配检查案件', 'Inspection cases repeatedly assigned by hand', ['assign'], INSP,
    { key: ['officer'], count: 4, windowMs: 7 * DAY, quietMs: 7 * DAY, when: [{ attr: 'mode', eq: 'manual' }] },
    '7天内同一人员4次人工指定检查案件承办人，可能为特定纳税人安排检查人员。', 'Four manual assignments of inspection cases by one officer within 7 days may steer inspectors to chosen taxpayers.'),
  d('INS-24', 'inspection', 'low', 'peerOutlier', '周结案量异常', 'Weekly case closes far above peers', ['complete'], INSP,
    { period: 'week', numerator: S(['complete']), z: 3, minCount: 10, minPeers: 8 },
    '一周内结案量显著高于同局检查人员，检查可能走过场。', 'Far more cases closed in a week than bureau peers: examinations may be perfunctory.'),

  // ---------------- filing 涉税备案 ----------------
  d('FIL-02', 'filing', 'medium', 'predicate', '倒签备案', 'Back-dated filing', ['accept', 'complete'], FILING, pred([{ attr: 'backdated_days', op: '>', value: 30 }]),
    '备案生效日期早于受理日期30天以上。', 'A filing whose effective date lies more than 30 days before it was made.', ['backdated_days']),
  d('FIL-03', 'filing', 'high', 'predicate', '优惠备案无附件', 'Preferential filing without attachments', ['accept', 'complete'], FILING, pred([{ attr: 'preferential', eq: true }, { attr: 'attachments', op: '==', value: 0 }]),
    '税收优惠备案未附必要资料即受理或办结。', 'A preferential-policy filing accepted or completed with no attachments.', ['preferential', 'attachments']),
  d('FIL-04', 'filing', 'high', 'predicate', '欠税注销', 'Deregistration with arrears', ['complete'], ALL, pred([{ attr: 'deregistration', eq: true }, { attr: 'arrears', op: '>', value: 0 }]),
    '存在欠税仍办结注销，税款可能流失。', 'Deregistering while arrears remain loses the tax owed.', ['deregistration', 'arrears']),
  d('FIL-05', 'filing', 'medium', 'predicate', '大额优惠备案', 'Large preferential filing', ['complete'], FILING, pred([{ attr: 'preferential', eq: true }, { field: 'amount', op: '>=', value: 1_000_000 }]),
    '享受优惠金额100万元以上的备案办结，应重点复核。', 'A preferential-policy filing worth one million CNY or more deserves a second look.', ['preferential']),
  d('FIL-06', 'filing', 'medium', 'pair', '他人修改备案', 'Filing modified by another officer', ['handle', 'modify'], FILING,
    { first: S(['handle']), second: S(['modify']), officer: 'different', strictlyLater: true, once: 'event', subject: 'second' },
    '备案经办后被非经办人员修改。', 'A filing modified by someone other than its handler.'),
  d('FIL-07', 'filing', 'low', 'distinctCount', '同一人员反复办理同一纳税人备案', 'Same officer handling one taxpayer\'s filings repeatedly', ['accept'], FILING,
    { key: ['officer', 'taxpayer'], distinct: 'item', count: 6, windowMs: 30 * DAY, quietMs: 30 * DAY },
    '30天内同一人员受理同一纳税人6件以上备案。', 'One officer accepting six or more filings of one taxpayer within 30 days.'),
  d('FIL-08', 'filing', 'medium', 'slidingCount', '一日大量修改备案', 'Many filing edits in a day', ['modify'], FILING,
    { key: ['officer'], count: 12, windowMs: 24 * HOUR, quietMs: 24 * HOUR },
    '24小时内同一人员修改备案12次以上。', 'Twelve or more filing edits by one officer within 24 hours.'),
  d('FIL-09', 'filing', 'high', 'pair', '办结后作废备案', 'Filing cancelled after completion', ['complete', 'cancel'], FILING,
    { first: S(['complete'], undefined, true), second: S(['cancel']), officer: 'any', strictlyLater: true, firstOnly: true, once: 'item', subject: 'second' },
    '已办结的备案被作废，可能追溯撤销。', 'A completed filing cancelled afterwards may be revoked retroactively.'),
  d('FIL-10', 'filing', 'high', 'predicate', '非在册人员办理备案', 'Filing handled by an officer not on record', ['accept', 'complete', 'modify'], FILING, pred([{ unknownOfficer: true }]),
    '备案由人员名册以外的账号受理、办结或修改，可能冒用账号。', 'A filing accepted, completed or modified by an account not in the officer register.'),
  d('FIL-11', 'filing', 'low', 'predicate', '深夜办理备案', 'Filing handled late at night', ['accept', 'complete'], FILING, pred([{ night: true }]),
    '22:00至次日6:00人工办理备案。', 'A filing handled by an officer between 22:00 and 06:00.'),
  d('FIL-12', 'filing', 'medium', 'predicate', '调减备案金额', 'Filing amount reduced', ['modify'], FILING, pred([{ attr: 'amount_delta', op: '<', value: 0 }]),
    '备案金额被调减，可能扩大优惠或减少应纳税额。', 'A filing amount reduced, possibly widening a preference or lowering tax due.', ['amount_delta']),
  d('FIL-13', 'filing', 'low', 'peerOutlier', '周备案修改量异常', 'Weekly filing edits far above peers', ['modify'], FILING,
    { period: 'week', numerator: S(['modify']), z: 3, minCount: 6, minPeers: 8 },
    '一周内备案修改量显著高于同局同事。', 'Far more filing edits in a week than bureau peers.'),
  d('FIL-14', 'filing', 'medium', 'predicate', '跨局修改备案', 'Filing modified by an officer of another bureau', ['modify'], FILING, pred([{ crossBureau: true }]),
    '备案被非本局人员修改。', 'A filing modified by an officer of another bureau.'),
  d('FIL-15', 'filing', 'medium', 'slidingCount', '集中作废备案', 'Filing cancellation burst', ['cancel'], FILING,
    { key: ['officer'], count: 4, windowMs: 24 * HOUR, quietMs: 24 * HOUR },
    '24小时内同一人员作废4件以上备案。', 'Four or more filings cancelled by one officer within 24 hours.'),
  d('FIL-16', 'filing', 'low', 'predicate', '周末办理备案', 'Filing completed at the weekend', ['complete'], FILING, pred([{ weekend: true }]),
    '周末由人工办结备案。', 'A filing completed by an officer at the weekend.'),
  d('FIL-17', 'filing', 'medium', 'slidingCount', '集中驳回备案', 'Filing rejection burst', ['reject'], FILING,
    { key: ['officer'], count: 5, windowMs: 24 * HOUR, quietMs: 24 * HOUR },
    '24小时内同一人员驳回5件以上备案，可能借驳回刁难纳税人。', 'Five or more filings rejected by one officer within 24 hours may be obstruction.'),
  d('FIL-18', 'filing', 'medium', 'predicate', '低能级人员办结优惠备案', 'Preferential filing completed by a junior officer', ['complete'], FILING, pred([{ attr: 'preferential', eq: true }, { officerLevelAtMost: 1 }]),
    '税收优惠备案由1级人员办结，超出能级。', 'A preferential-policy filing completed by a level-1 officer exceeds that level.', ['preferential']),
  d('FIL-19', 'filing', 'low', 'distinctCount', '一周办理同一纳税人多类备案', 'Many filing types for one taxpayer in a week', ['accept'], FILING,
    { key: ['officer', 'taxpayer'], distinct: 'matter', count: 4, windowMs: 7 * DAY, quietMs: 7 * DAY },
    '7天内同一人员为同一纳税人受理4类以上备案，可能打包代办。', 'One officer accepting four or more kinds of filing for one taxpayer within 7 days suggests proxy bundling.'),
  d('FIL-20', 'filing', 'low', 'peerOutlier', '日备案作废量异常', 'Daily filing cancellations far above peers', ['cancel'], FILING,
    { period: 'day', numerator: S(['cancel']), z: 3, minCount: 3, minPeers: 8 },
    '一日内备案作废量显著高于同局同事。', 'Far more filing cancellations in a day than bureau peers.'),

  // ---------------- tasks 任务 (process) ----------------
  d('TSK-03', 'process', 'medium', 'predicate', '非工作时间人工分配', 'Manual assignment outside working hours', ['assign'], ALL, pred([{ attr: 'mode', eq: 'manual' }, { offHours: true }]),
    '在工作时间以外人工指定承办人，缺少监督。', 'Assigning a handler by hand outside working hours escapes oversight.'),
  d('TSK-04', 'process', 'medium', 'slidingCount', '同一事项反复退回', 'Item returned repeatedly', ['reject'], ALL,
    { key: ['officer', 'item'], count: 3, windowMs: 30 * DAY, quietMs: 30 * DAY },
    '同一审批人30天内对同一工作项3次不予通过，可能借退回索要好处。', 'One approver returning the same item three times in 30 days may be seeking a favour.'),
  d('TSK-05', 'process', 'medium', 'elapsed', '权力事项严重超期办结', 'Power matter completed far beyond its standard time', ['issue', 'complete'], POWER,
    { from: S(['issue'], undefined, true), to: S(['complete']), op: 'gt', standardHoursFraction: 2 },
    '权力事项用时超过标准时限2倍才办结。', 'A power matter completed after more than twice its standard time.'),
  d('TSK-06', 'process', 'low', 'peerOutlier', '日受理量异常', 'Daily acceptances far above peers', ['accept'], ALL,
    { period: 'day', numerator: S(['accept']), z: 3.5, minCount: 40, minPeers: 8 },
    '一日受理量显著高于同局同事，超出正常能力，可能冒用账号或批量走过场。', 'Far more acceptances in a day than bureau peers exceeds normal capacity: a shared account or rubber-stamping.'),
  d('TSK-07', 'process', 'medium', 'predicate', '分配方式未记录', 'Assignment mode not recorded', ['assign'], ALL, pred([{ attr: 'mode', op: 'absent' }]),
    '分配记录缺少分配方式（随机/人工），无法倒查。', 'An assignment without its mode (random/manual) cannot be traced back.', ['mode']),
  d('TSK-08', 'process', 'medium', 'peerOutlier', '周人工分配量异常', 'Weekly manual assignments far above peers', ['assign'], ALL,
    { period: 'week', numerator: S(['assign'], [{ attr: 'mode', eq: 'manual' }]), z: 3, minCount: 5, minPeers: 5 },
    '一周内人工分配量显著高于同局其他分配人员。', 'Far more manual assignments in a week than the bureau\'s other assigners.'),
  d('TSK-09', 'process', 'medium', 'predicate', '权力事项行政复议', 'Appeal against a power matter', ['petition'], POWER, pred([{ attr: 'kind', eq: 'appeal' }]),
    '纳税人对权力事项提出复议或申诉，需核查执法是否合规。', 'A taxpayer appeal against a power matter: check whether the decision was lawful.'),
  d('TSK-10', 'process', 'medium', 'slidingCount', '信访集中', 'Petitions about one officer', ['petition'], PROCESS,
    { key: ['officer'], count: 3, windowMs: 90 * DAY, quietMs: 90 * DAY },
    '90天内针对同一人员流程事项的信访达3次。', 'Three petitions about one officer\'s process items within 90 days.'),
];
