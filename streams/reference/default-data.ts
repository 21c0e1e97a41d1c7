/**
 * The built-in default reference data set (events.md, "Reference data"): 21 grassroots
 * bureaus plus the city bureau (HQ), 430 service windows, about 400 officers and the
 * 130 matter types. Generated deterministically (fixed seed), so every run and every
 * process sees exactly the same data.
 */
import { Rng } from '../simulator/prng.js';
import { stateCouncilCalendar } from './calendar-cn.js';
import type { Bureau, Category, Matter, Officer, OfficerRole, Platform, ReferenceData, Window } from '../types.js';

/** code, zh, en, relative size (drives windows and officer counts). */
const BUREAUS: ReadonlyArray<[string, string, string, number]> = [
  ['B01', '福田局', 'Futian', 10],
  ['B02', '罗湖局', 'Luohu', 8],
  ['B03', '南山局', 'Nanshan', 10],
  ['B04', '宝安局', "Bao'an", 9],
  ['B05', '龙岗局', 'Longgang', 9],
  ['B06', '盐田局', 'Yantian', 3],
  ['B07', '龙华局', 'Longhua', 7],
  ['B08', '坪山局', 'Pingshan', 3],
  ['B09', '光明局', 'Guangming', 3],
  ['B10', '大鹏局', 'Dapeng', 2],
  ['B11', '前海局', 'Qianhai', 6],
  ['B12', '深汕局', 'Shenshan', 2],
  ['B13', '蛇口局', 'Shekou', 4],
  ['B14', '西乡局', 'Xixiang', 4],
  ['B15', '沙井局', 'Shajing', 4],
  ['B16', '福永局', 'Fuyong', 4],
  ['B17', '布吉局', 'Buji', 5],
  ['B18', '横岗局', 'Henggang', 4],
  ['B19', '观澜局', 'Guanlan', 3],
  ['B20', '平湖局', 'Pinghu', 3],
  ['B21', '松岗局', 'Songgang', 3],
];

export const CITY_BUREAU = 'HQ';

type C = 'S' | 'P' | 'I' | 'F';
type Pl = 'c' | 'a' | 's' | 'i' | 'n';
/** zh, en, category, platform, power (1/0), standard_hours, difficulty, level-1 limit (0: no limits). */
type Row = [string, string, C, Pl, 0 | 1, number, number, number];

const MATTERS: readonly Row[] = [
  // 纳税服务 (service)
  ['发票领用', 'Invoice collection', 'S', 's', 0, 24, 1, 0],
  ['增值税专用发票最高开票限额审批', 'Special VAT invoice maximum amount approval', 'S', 's', 1, 120, 3, 100000],
  ['发票用量调整', 'Invoice quantity adjustment', 'S', 's', 1, 48, 2, 0],
  ['代开增值税发票', 'VAT invoice issuance on behalf of taxpayer', 'S', 's', 0, 24, 1, 0],
  ['纳税信用等级评定调整', 'Tax credit rating adjustment', 'S', 'a', 1, 240, 3, 0],
  ['纳税信用修复', 'Tax credit restoration', 'S', 'a', 1, 168, 3, 0],
  ['涉税信息查询', 'Tax information inquiry', 'S', 's', 0, 24, 1, 0],
  ['开具税收完税证明', 'Tax payment certificate issuance', 'S', 's', 0, 24, 1, 0],
  ['纳税人咨询答复', 'Taxpayer inquiry response', 'S', 's', 0, 48, 1, 0],
  ['税收优惠资格认定', 'Tax incentive qualification confirmation', 'S', 'a', 1, 240, 3, 0],
  ['误收多缴税款退还', 'Refund of overpaid tax', 'S', 'c', 1, 240, 3, 50000],
  ['发票真伪鉴定', 'Invoice authenticity verification', 'S', 's', 0, 72, 2, 0],
  ['发票遗失、损毁报告', 'Lost or damaged invoice report', 'S', 's', 0, 24, 1, 0],
  ['发票缴销', 'Invoice cancellation and surrender', 'S', 's', 0, 24, 1, 0],
  ['税控专用设备变更发行', 'Tax control device re-issuance', 'S', 's', 0, 48, 1, 0],
  ['开具中国税收居民身份证明', 'Chinese tax residence certificate issuance', 'S', 's', 1, 240, 3, 0],
  ['纳税人涉税诉求办理', 'Taxpayer tax-related request handling', 'S', 's', 0, 120, 2, 0],
  ['纳税服务投诉处理', 'Taxpayer service complaint handling', 'S', 's', 0, 120, 2, 0],
  ['个人所得税专项附加扣除信息确认', 'IIT special additional deduction confirmation', 'S', 's', 0, 72, 1, 0],
  ['个人所得税综合所得汇算清缴退税', 'IIT annual reconciliation refund', 'S', 'c', 1, 168, 2, 20000],
  ['社会保险费缴费证明开具', 'Social insurance contribution certificate', 'S', 's', 0, 24, 1, 0],
  ['车辆购置税完税证明补办', 'Vehicle purchase tax certificate reissue', 'S', 's', 0, 24, 1, 0],
  ['税收票证补开', 'Tax receipt re-issuance', 'S', 's', 0, 48, 1, 0],
  ['存量房交易税费申报受理', 'Second-hand housing transaction tax acceptance', 'S', 's', 0, 24, 2, 0],
  ['开具红字增值税专用发票信息表审核', 'Red-letter VAT invoice information form review', 'S', 's', 1, 48, 2, 100000],
  ['预约办税服务', 'Appointment-based tax service', 'S', 's', 0, 24, 1, 0],
  ['延期申报核准', 'Deferred filing approval', 'S', 'a', 1, 120, 2, 0],
  ['办税人员实名信息采集', 'Tax agent real-name registration', 'S', 's', 0, 24, 1, 0],
  ['跨境电商出口退税辅导', 'Cross-border e-commerce export refund guidance', 'S', 's', 0, 72, 1, 0],
  ['纳税人权益保护申请', 'Taxpayer rights protection request', 'S', 's', 0, 168, 2, 0],
  ['电子税务局账户解锁', 'E-tax bureau account unlock', 'S', 's', 0, 24, 1, 0],
  ['新办纳税人套餐服务', 'New taxpayer package service', 'S', 's', 0, 24, 1, 0],
  ['委托代征税款', 'Entrusted tax collection', 'S', 'c', 0, 72, 2, 0],
  ['税务行政许可申请受理', 'Tax administrative licence application', 'S', 's', 1, 168, 3, 0],
  // 流程应对 (process)
  ['增值税留抵退税审批', 'VAT credit refund approval', 'P', 'c', 1, 168, 4, 500000],
  ['出口退税审批', 'Export tax refund approval', 'P', 'c', 1, 240, 4, 500000],
  ['延期缴纳税款审批', 'Deferred tax payment approval', 'P', 'c', 1, 480, 4, 1000000],
  ['行政处罚决定', 'Administrative penalty decision', 'P', 'a', 1, 360, 4, 20000],
  ['税款滞纳金减免审批', 'Late payment surcharge waiver approval', 'P', 'c', 1, 240, 3, 20000],
  ['欠税公告', 'Tax arrears public notice', 'P', 'c', 0, 120, 2, 0],
  ['欠缴税款追缴', 'Tax arrears recovery', 'P', 'c', 1, 360, 3, 0],
  ['税收保全措施审批', 'Tax preservation measures approval', 'P', 'a', 1, 72, 5, 0],
  ['税收强制执行审批', 'Tax enforcement measures approval', 'P', 'a', 1, 72, 5, 0],
  ['核定征收方式审批', 'Deemed taxation method approval', 'P', 'a', 1, 240, 3, 0],
  ['定期定额户核定', 'Fixed-quota assessment for individual businesses', 'P', 'a', 1, 120, 2, 0],
  ['土地增值税清算审核', 'Land appreciation tax liquidation review', 'P', 'a', 1, 720, 5, 1000000],
  ['减免税核准', 'Tax reduction and exemption approval', 'P', 'a', 1, 240, 3, 100000],
  ['房产税减免', 'Property tax reduction', 'P', 'a', 1, 240, 3, 50000],
  ['城镇土地使用税减免', 'Urban land use tax reduction', 'P', 'a', 1, 240, 3, 50000],
  ['企业所得税汇算清缴退税', 'CIT annual reconciliation refund', 'P', 'c', 1, 240, 4, 200000],
  ['税务行政复议受理', 'Tax administrative reconsideration acceptance', 'P', 'a', 1, 480, 4, 0],
  ['欠税人阻止出境', 'Departure prohibition for tax defaulters', 'P', 'a', 1, 120, 4, 0],
  ['非正常户认定', 'Abnormal taxpayer status determination', 'P', 'a', 0, 120, 2, 0],
  ['非正常户解除', 'Abnormal taxpayer status lifting', 'P', 'a', 1, 72, 2, 0],
  ['税款入库更正', 'Tax payment treasury correction', 'P', 'c', 0, 72, 2, 0],
  ['退库凭证开具', 'Refund voucher issuance', 'P', 'c', 0, 48, 2, 0],
  ['先征后退审批', 'Collect-first-refund-later approval', 'P', 'c', 1, 240, 4, 200000],
  ['即征即退审批', 'Immediate refund upon collection approval', 'P', 'c', 1, 168, 4, 200000],
  ['增值税一般纳税人资格转登记', 'VAT general taxpayer status conversion', 'P', 'a', 0, 72, 2, 0],
  ['税收执法督察整改', 'Tax enforcement audit rectification', 'P', 'n', 0, 360, 3, 0],
  ['内部审批事项督办', 'Internal approval supervision', 'P', 'n', 0, 120, 2, 0],
  ['执法过错责任追究', 'Enforcement fault accountability', 'P', 'n', 1, 720, 4, 0],
  ['涉税举报受理', 'Tax violation report acceptance', 'P', 'a', 0, 72, 2, 0],
  ['税收风险任务应对', 'Tax risk task response', 'P', 'a', 1, 480, 3, 0],
  ['加处罚款减免审批', 'Additional fine waiver approval', 'P', 'a', 1, 240, 3, 20000],
  ['社会保险费退费审核', 'Social insurance contribution refund review', 'P', 'c', 1, 168, 3, 20000],
  ['非税收入退库审核', 'Non-tax revenue refund review', 'P', 'c', 1, 168, 3, 20000],
  ['车船税退税审核', 'Vehicle and vessel tax refund review', 'P', 'c', 1, 120, 2, 10000],
  ['契税退税审核', 'Deed tax refund review', 'P', 'c', 1, 168, 3, 50000],
  ['印花税退税审核', 'Stamp duty refund review', 'P', 'c', 1, 120, 2, 20000],
  // 检查评估 (inspection)
  ['稽查立案', 'Inspection case filing', 'I', 'i', 1, 168, 4, 0],
  ['稽查审理', 'Inspection trial review', 'I', 'i', 1, 480, 5, 1000000],
  ['稽查执行', 'Inspection enforcement', 'I', 'i', 1, 480, 4, 0],
  ['稽查选案', 'Inspection case selection', 'I', 'i', 1, 120, 3, 0],
  ['稽查检查实施', 'Inspection examination', 'I', 'i', 1, 720, 5, 0],
  ['纳税评估', 'Tax assessment', 'I', 'a', 1, 720, 4, 0],
  ['重大税收违法失信案件信息公布', 'Disclosure of major tax violation cases', 'I', 'i', 0, 168, 3, 0],
  ['税务约谈', 'Tax interview', 'I', 'a', 0, 72, 2, 0],
  ['发票协查', 'Invoice investigation assistance', 'I', 'i', 0, 360, 3, 0],
  ['虚开发票案件查处', 'False invoicing case investigation', 'I', 'i', 1, 720, 5, 0],
  ['出口退税函调核查', 'Export refund verification by letter', 'I', 'i', 0, 480, 3, 0],
  ['出口退税疑点核查', 'Export refund suspicion verification', 'I', 'i', 1, 240, 4, 0],
  ['留抵退税事后核查', 'VAT credit refund post-audit', 'I', 'a', 1, 360, 4, 0],
  ['风险应对核查', 'Risk response verification', 'I', 'a', 1, 360, 3, 0],
  ['关联交易调查', 'Related-party transaction investigation', 'I', 'i', 1, 720, 5, 0],
  ['反避税调查', 'Anti-avoidance investigation', 'I', 'i', 1, 720, 5, 0],
  ['税收专项检查', 'Special tax inspection', 'I', 'i', 1, 720, 4, 0],
  ['欠税检查', 'Arrears inspection', 'I', 'a', 0, 240, 3, 0],
  ['实地核查', 'On-site verification', 'I', 'a', 0, 120, 2, 0],
  ['发票使用情况检查', 'Invoice usage inspection', 'I', 'a', 0, 168, 2, 0],
  ['检举案件查处', 'Whistle-blower case investigation', 'I', 'i', 1, 720, 4, 0],
  ['稽查案件复查', 'Inspection case re-examination', 'I', 'i', 1, 480, 4, 0],
  ['涉税违法行为处理', 'Tax violation handling', 'I', 'a', 1, 240, 3, 0],
  ['纳税评估约谈举证', 'Assessment interview and evidence', 'I', 'a', 0, 120, 2, 0],
  ['走逃失联企业核查', 'Missing enterprise verification', 'I', 'a', 0, 72, 2, 0],
  ['异常凭证核查', 'Abnormal voucher verification', 'I', 'a', 0, 168, 3, 0],
  ['稽查案件移送', 'Inspection case transfer', 'I', 'i', 1, 72, 3, 0],
  ['个人所得税汇算疑点核查', 'IIT reconciliation suspicion verification', 'I', 'a', 0, 168, 2, 0],
  // 涉税备案 (filing)
  ['税务登记注销', 'Tax deregistration', 'F', 'a', 1, 480, 3, 0],
  ['设立税务登记', 'Tax registration', 'F', 'a', 0, 24, 1, 0],
  ['变更税务登记', 'Tax registration change', 'F', 'a', 0, 24, 1, 0],
  ['跨区域涉税事项报告', 'Cross-regional tax matter report', 'F', 'a', 0, 24, 1, 0],
  ['跨区域涉税事项报验', 'Cross-regional tax matter registration on arrival', 'F', 'a', 0, 24, 1, 0],
  ['减免税备案', 'Tax reduction and exemption filing', 'F', 'a', 0, 72, 2, 0],
  ['增值税一般纳税人登记', 'VAT general taxpayer registration', 'F', 'a', 0, 24, 1, 0],
  ['财务会计制度备案', 'Financial accounting system filing', 'F', 'a', 0, 72, 1, 0],
  ['存款账户账号报告', 'Bank account report', 'F', 'a', 0, 24, 1, 0],
  ['出口退(免)税备案', 'Export refund (exemption) filing', 'F', 'c', 0, 72, 2, 0],
  ['出口退(免)税备案变更', 'Export refund (exemption) filing change', 'F', 'c', 0, 72, 2, 0],
  ['研发费用加计扣除备案', 'R&D super-deduction filing', 'F', 'a', 0, 72, 2, 0],
  ['高新技术企业优惠备案', 'High-tech enterprise incentive filing', 'F', 'a', 0, 120, 2, 0],
  ['小型微利企业优惠备案', 'Small low-profit enterprise incentive filing', 'F', 'a', 0, 48, 1, 0],
  ['跨境应税行为免税备案', 'Cross-border taxable service exemption filing', 'F', 'a', 0, 72, 2, 0],
  ['资产损失税前扣除备案', 'Asset loss pre-tax deduction filing', 'F', 'a', 1, 240, 3, 200000],
  ['非居民企业所得税源泉扣缴备案', 'Non-resident CIT withholding filing', 'F', 'a', 0, 72, 2, 0],
  ['服务贸易等项目对外支付税务备案', 'Outbound payment tax filing', 'F', 'c', 0, 48, 2, 0],
  ['房产税城镇土地使用税税源登记', 'Property and land use tax source registration', 'F', 'a', 0, 48, 1, 0],
  ['纳税申报更正', 'Tax return correction', 'F', 'c', 1, 72, 2, 0],
  ['增值税纳税申报', 'VAT return filing', 'F', 'c', 0, 24, 1, 0],
  ['企业所得税预缴申报', 'CIT provisional return filing', 'F', 'c', 0, 24, 1, 0],
  ['个人所得税扣缴申报', 'IIT withholding return filing', 'F', 'c', 0, 24, 1, 0],
  ['文化事业建设费申报', 'Cultural undertakings fee filing', 'F', 'c', 0, 24, 1, 0],
  ['简易注销登记', 'Simplified deregistration', 'F', 'a', 1, 72, 2, 0],
  ['清税证明开具', 'Tax clearance certificate issuance', 'F', 'a', 1, 120, 2, 0],
  ['停业登记', 'Business suspension registration', 'F', 'a', 0, 48, 1, 0],
  ['复业登记', 'Business resumption registration', 'F', 'a', 0, 24, 1, 0],
  ['汇总纳税企业备案', 'Consolidated taxpayer filing', 'F', 'a', 0, 72, 2, 0],
  ['特别纳税调整同期资料备案', 'Transfer pricing documentation filing', 'F', 'a', 0, 168, 3, 0],
  ['代扣代缴手续费申请', 'Withholding agent commission application', 'F', 'c', 1, 120, 2, 10000],
  ['税收协定待遇备案', 'Tax treaty benefits filing', 'F', 'a', 1, 120, 3, 0],
];

const CAT: Record<C, Category> = { S: 'service', P: 'process', I: 'inspection', F: 'filing' };
const PLAT: Record<Pl, Platform> = { c: 'collection', a: 'administration', s: 'service', i: 'inspection', n: 'internal' };
/** Limits of levels 1..5 as multiples of the level-1 limit. */
const LIMIT_STEPS = [1, 4, 15, 60, 300];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function buildBureaus(): Bureau[] {
  return [
    ...BUREAUS.map(([code, name, name_en]) => ({ code, name, name_en })),
    { code: CITY_BUREAU, name: '市局', name_en: 'City bureau' },
  ];
}

/** 430 windows split by bureau size (largest remainder), contiguous codes per bureau. */
function buildWindows(total = 430): Window[] {
  const weightSum = BUREAUS.reduce((s, b) => s + b[3], 0);
  const exact = BUREAUS.map((b) => (b[3] / weightSum) * total);
  const counts = exact.map(Math.floor);
  let rest = total - counts.reduce((s, n) => s + n, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) counts[order[k % order.length]![1]]!++;
  const out: Window[] = [];
  let n = 1;
  BUREAUS.forEach(([code], i) => {
    for (let j = 0; j < counts[i]!; j++) out.push({ code: `W${pad(n++, 3)}`, bureau: code });
  });
  return out;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢钟'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉玲婷鹏飞雪梅斌宇浩凯晨欣怡子涵佳琪思源嘉俊晓东海燕立新丹颖振宏永春亮'.split('');

/** Officers: per bureau tax officers by size, ≥4 discipline, 1–2 leaders, analysts; HQ staff. */
function buildOfficers(): Officer[] {
  const rng = new Rng(20260704);
  const used = new Set<string>();
  const name = (): string => {
    for (;;) {
      const n = rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.7) ? rng.pick(GIVEN) : '');
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
  // Realistic pyramid for tax officers: level 1 most common, level 5 rare.
  const taxLevel = () => [1, 2, 3, 4, 5][rng.weighted([34, 30, 20, 11, 5])]!;
  const out: Officer[] = [];
  let n = 1;
  const add = (bureau: string, role: OfficerRole, level: number) =>
    out.push({ id: `O${pad(n++, 4)}`, name: name(), bureau, level, role, active: true });
  for (const [code, , , size] of BUREAUS) {
    const tax = 4 + Math.round(size * 1.5);
    // Guarantee approvers above the handlers: at least one level-3 and one level-4 tax officer.
    add(code, 'tax', 3);
    add(code, 'tax', 4);
    for (let i = 2; i < tax; i++) add(code, 'tax', taxLevel());
    add(code, 'leader', 5);
    if (size >= 4) add(code, 'leader', 4);
    const disc = size >= 8 ? 5 : 4;
    for (let i = 0; i < disc; i++) add(code, 'discipline', [3, 4, 3, 5, 4][i]!);
    add(code, 'analyst', size >= 6 ? 3 : 2);
    if (size >= 8) add(code, 'analyst', 2);
  }
  for (let i = 0; i < 10; i++) add(CITY_BUREAU, 'discipline', [5, 4, 4, 3, 3, 4, 3, 5, 3, 4][i]!);
  for (let i = 0; i < 3; i++) add(CITY_BUREAU, 'leader', 5);
  for (let i = 0; i < 6; i++) add(CITY_BUREAU, 'analyst', [4, 3, 3, 2, 2, 1][i]!);
  for (let i = 0; i < 4; i++) add(CITY_BUREAU, 'tax', [2, 3, 4, 1][i]!);
  // A register keeps officers who left or moved: their accounts are marked inactive, not deleted
  // (an inactive account still at work is itself a risk point).
  for (const b of ['B01', 'B03', 'B05', 'B07', 'B11', 'B17']) out.push({ id: `O${pad(n++, 4)}`, name: name(), bureau: b, level: taxLevel(), role: 'tax', active: false });
  return out;
}

/**
 * The 24 routine matters the system handles alone (domain.md: 24 routine matter types, 零插手):
 * certificates, reminders, registrations and returns that need no officer's judgement.
 */
const AUTO = new Set(['M001', 'M004', 'M007', 'M008', 'M013', 'M014', 'M015', 'M019', 'M021', 'M022', 'M023', 'M026',
  'M028', 'M031', 'M032', 'M040', 'M053', 'M100', 'M102', 'M103', 'M105', 'M119', 'M120', 'M121']);

/** Tags that indicators following one taxpayer across platforms read (docs/indicators.md). */
const TAGS: Record<string, string[]> = {
  refund: ['M011', 'M020', 'M035', 'M036', 'M050', 'M057', 'M058', 'M066', 'M067', 'M068', 'M069', 'M070'],
  bank_account: ['M107'],
  invoice_quota: ['M002', 'M003'],
  credit_rating: ['M005'],
  registration: ['M100'],
  deregistration: ['M099', 'M123'],
  arrears: ['M040', 'M041'],
  abnormal_lift: ['M054'],
  preferential: ['M104', 'M110', 'M111', 'M112', 'M113', 'M130'],
  export_filing_change: ['M109'],
  tax_return: ['M119', 'M120', 'M121', 'M122'],
  export_refund: ['M036'],
  case_selection: ['M071', 'M074'],
  case_examination: ['M075', 'M080', 'M085', 'M086', 'M087', 'M091'],
  trial: ['M072'],
  enforcement: ['M073'],
  return_correction: ['M118'],
};

/**
 * Penalty discretion bands (处罚裁量基准) as multiples of the tax involved: Tax Collection Law
 * art. 63 (evasion: 50 % to 5 times), art. 69 (withholding agents: 50 % to 3 times); false
 * invoicing cases are fined from once the tax involved.
 */
const PENALTY_BANDS: Record<string, [number, number]> = {
  M038: [0.5, 5], M072: [0.5, 5], M093: [0.5, 3], M080: [1, 5], M065: [0.5, 5],
};

/** Documents required at acceptance (preferential filings, deregistrations) or case closing (examinations). */
const REQUIRED_DOCS: Record<string, number> = {
  M104: 2, M110: 3, M111: 3, M112: 1, M113: 2, M130: 3, M099: 3, M123: 2,
  M075: 4, M080: 5, M085: 5, M086: 5, M087: 4, M091: 4,
};

function buildMatters(): Matter[] {
  const tagsOf = new Map<string, string[]>();
  for (const [tag, codes] of Object.entries(TAGS)) for (const c of codes) tagsOf.set(c, [...(tagsOf.get(c) ?? []), tag]);
  return MATTERS.map(([name, name_en, c, p, power, standard_hours, difficulty, limit1], i) => {
    const m: Matter = {
      code: `M${pad(i + 1, 3)}`,
      name,
      name_en,
      category: CAT[c],
      platform: PLAT[p],
      power: power === 1,
      standard_hours,
      difficulty,
    };
    if (limit1 > 0) m.limits = LIMIT_STEPS.map((k) => limit1 * k);
    if (AUTO.has(m.code)) m.auto = true;
    const tags = tagsOf.get(m.code);
    if (tags) m.tags = tags;
    if (PENALTY_BANDS[m.code]) m.penalty_band = PENALTY_BANDS[m.code];
    if (REQUIRED_DOCS[m.code] !== undefined) m.required_docs = REQUIRED_DOCS[m.code];
    return m;
  });
}

export const defaultReference: ReferenceData = {
  bureaus: buildBureaus(),
  windows: buildWindows(),
  officers: buildOfficers(),
  matters: buildMatters(),
  calendar: stateCouncilCalendar(),
};
