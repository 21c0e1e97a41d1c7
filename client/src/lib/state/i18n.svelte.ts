/** UI language (zh-CN default, English) and the translation table. */
export type Lang = 'zh' | 'en';

const STRINGS = {
  appTitle: ['廉政风险实时监控', 'Integrity-Risk Monitor'],
  login: ['登录', 'Log in'],
  logout: ['退出', 'Log out'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  loginFailed: ['用户名或密码错误', 'Wrong username or password'],
  wall: ['预警墙', 'Alert wall'],
  board: ['领导看板', 'Leader board'],
  analyst: ['分析钻取', 'Analysis'],
  work: ['工作台', 'Workbench'],
  indicators: ['指标库', 'Indicators'],
  role_admin: ['管理员', 'Administrator'],
  role_leader: ['局领导', 'Leader'],
  role_discipline: ['纪检监察', 'Discipline'],
  role_analyst: ['分析员', 'Analyst'],
  role_tax: ['税务干部', 'Tax officer'],
  cat_service: ['纳税服务', 'Taxpayer service'],
  cat_process: ['流程应对', 'Process handling'],
  cat_inspection: ['检查评估', 'Inspection & assessment'],
  cat_filing: ['涉税备案', 'Filing & registration'],
  sev_low: ['低', 'Low'],
  sev_medium: ['中', 'Medium'],
  sev_high: ['高', 'High'],
  sev_critical: ['严重', 'Critical'],
  all: ['全部', 'All'],
  category: ['类别', 'Category'],
  severity: ['风险等级', 'Severity'],
  bureau: ['基层局', 'Bureau'],
  indicator: ['指标', 'Indicator'],
  officer: ['干部', 'Officer'],
  taxpayer: ['纳税人', 'Taxpayer'],
  matter: ['事项', 'Matter'],
  item: ['工作事项', 'Work item'],
  time: ['时间', 'Time'],
  message: ['描述', 'Message'],
  status: ['状态', 'Status'],
  search: ['搜索', 'Search'],
  live: ['实时', 'Live'],
  connected: ['已连接', 'Connected'],
  disconnected: ['连接中断', 'Disconnected'],
  fullscreen: ['大屏模式', 'Big screen'],
  exitFullscreen: ['退出大屏', 'Exit big screen'],
  shown: ['显示', 'shown'],
  total: ['合计', 'Total'],
  byCategory: ['按类别', 'By category'],
  byBureau: ['按基层局', 'By bureau'],
  alertDetail: ['预警详情', 'Alert detail'],
  evidence: ['证据事件', 'Evidence events'],
  riskTask: ['风险任务', 'Risk task'],
  noTask: ['暂无关联任务', 'No risk task'],
  openTask: ['打开任务', 'Open task'],
  close: ['关闭', 'Close'],
  period: ['期间', 'Period'],
  from: ['开始', 'From'],
  to: ['结束', 'To'],
  granularity: ['粒度', 'Granularity'],
  g_hour: ['小时', 'Hour'],
  g_day: ['日', 'Day'],
  g_week: ['周', 'Week'],
  g_month: ['月', 'Month'],
  scope: ['范围', 'Scope'],
  city: ['全市', 'City'],
  vsPrev: ['环比', 'vs previous'],
  vsYoY: ['同比', 'vs last year'],
  ranking: ['基层局排名', 'Bureau ranking'],
  heatmap: ['基层局热力图', 'Bureau heat map'],
  alerts: ['预警', 'Alerts'],
  kpiUnavailable: ['KPI 服务暂不可用，以下为预警统计', 'KPI service unavailable; showing alert counts'],
  trend: ['趋势', 'Trend'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  section: ['业务条线', 'Section'],
  count: ['数量', 'Count'],
  loading: ['加载中…', 'Loading…'],
  empty: ['暂无数据', 'No data'],
  truncated: ['仅统计最近 {n} 条', 'Counted the latest {n} only'],
  myTasks: ['我的风险任务', 'My risk tasks'],
  myReviews: ['我的复审', 'My reviews'],
  accept: ['接收', 'Accept'],
  resolve: ['办结', 'Resolve'],
  signOff: ['签批关闭', 'Sign off'],
  reassign: ['改派', 'Reassign'],
  reason: ['理由', 'Reason'],
  assignee: ['承办人', 'Assignee'],
  result: ['结果', 'Result'],
  finding: ['调查结论', 'Finding'],
  res_confirmed: ['属实', 'Confirmed'],
  res_dismissed: ['排除', 'Dismissed'],
  res_transferred: ['移送纪检', 'Transferred'],
  st_open: ['待分配', 'Open'],
  st_assigned: ['已分配', 'Assigned'],
  st_investigating: ['调查中', 'Investigating'],
  st_resolved: ['已办结', 'Resolved'],
  st_closed: ['已关闭', 'Closed'],
  deadline: ['期限', 'Deadline'],
  overdue: ['超期', 'Overdue'],
  history: ['处理记录', 'History'],
  draw: ['随机分配记录', 'Random draw'],
  submit: ['提交', 'Submit'],
  outcome: ['复审结论', 'Outcome'],
  aspect: ['不合规方面', 'Failed aspect'],
  note: ['说明', 'Note'],
  out_compliant: ['合规', 'Compliant'],
  out_non_compliant: ['不合规', 'Non-compliant'],
  out_integrity_suspicion: ['廉政疑点', 'Integrity suspicion'],
  asp_process: ['流程', 'Process'],
  asp_policy: ['政策适用', 'Policy'],
  asp_fairness: ['公平性', 'Fairness'],
  tasksUnavailable: ['任务服务暂不可用', 'Task service unavailable'],
  hits: ['命中数', 'Hits'],
  confirmedShare: ['查实率', 'Confirmed share'],
  version: ['版本', 'Version'],
  versions: ['版本历史', 'Versions'],
  enabled: ['启用', 'Enabled'],
  kind: ['规则类型', 'Rule kind'],
  params: ['参数', 'Parameters'],
  rationale: ['设立依据', 'Rationale'],
  definition: ['定义（JSON）', 'Definition (JSON)'],
  backtest: ['回测', 'Backtest'],
  save: ['保存为新版本', 'Save as new version'],
  backtestTotal: ['回测命中 {n} 次', '{n} hits in backtest'],
  closedLoop: ['对照已办结任务', 'Against resolved tasks'],
  confirmedCaught: ['查实线索命中', 'Confirmed findings caught'],
  confirmedMissed: ['查实线索漏报', 'Confirmed findings missed'],
  dismissedRaised: ['已排除线索仍报', 'Dismissed findings still raised'],
  unmatchedAlerts: ['未对应已办结任务的预警', 'Alerts touching no resolved task'],
  invalidJson: ['JSON 格式错误', 'Invalid JSON'],
  saved: ['已保存', 'Saved'],
  proposed: ['已提交复核：第二人批准后生效', 'Proposed: takes effect when a second person approves'],
  author: ['修改人', 'Author'],
  noAccess: ['无权访问此页面', 'You may not see this page'],
  language: ['English', '中文'],
  error: ['错误', 'Error'],
  plat_collection: ['征收', 'Collection'],
  plat_administration: ['管理', 'Administration'],
  plat_service: ['服务', 'Service'],
  plat_inspection: ['稽查', 'Inspection'],
  plat_internal: ['行政管理', 'Internal administration'],
  act_issue: ['任务下发', 'Issue'], act_assign: ['分配', 'Assign'], act_accept: ['受理', 'Accept'], act_handle: ['办理', 'Handle'],
  act_approve: ['审批通过', 'Approve'], act_reject: ['不予通过', 'Reject'], act_modify: ['修改', 'Modify'], act_cancel: ['作废', 'Cancel'],
  act_complete: ['办结', 'Complete'], act_feedback: ['结果反馈', 'Feedback'], act_rate: ['评价', 'Rate'], act_petition: ['信访', 'Petition'],
  back: ['返回', 'Back'],
  amount: ['金额', 'Amount'],
  subject: ['对象', 'Subject'],
  detectedAt: ['发现时间', 'Detected'],
  kpi_overdue_rate: ['工作超期率', 'Overdue rate'],
  kpi_alerts: ['预警数', 'Alerts'],
  kpi_alerts_per_1000: ['每千事件预警', 'Alerts per 1,000 events'],
  kpi_confirmed_share: ['查实率', 'Confirmed share'],
  kpi_late_share: ['任务超期办结率', 'Tasks resolved late'],
  kpi_timeliness: ['任务及时性', 'Task timeliness'],
  kpi_compliance_rate: ['复审合规率', 'Review compliance rate'],
  kpi_reviews: ['复审', 'Reviews'],
  kpi_satisfaction: ['满意度', 'Satisfaction'],
  kpi_low_share: ['差评占比', 'Share of scores ≤ 2'],
  kpi_petitions: ['信访量', 'Petitions'],
  kpi_events: ['业务事件', 'Events'],
  kpi_tasks: ['风险任务', 'Risk tasks'],
  kpi_median_assign: ['分配中位时长', 'Median time to assign'],
  kpi_median_resolve: ['办结中位时长', 'Median time to resolve'],
  kpi_tasks_unfinished: ['未办结任务', 'Unfinished tasks'],
  kpi_tasks_overdue: ['超期任务', 'Overdue tasks'],
  kpi_reviews_pending: ['待复审', 'Reviews pending'],
  rv_pending: ['待复审', 'Pending'],
  rv_escalated: ['已提交第三人', 'Escalated'],
  rv_decided: ['已定论', 'Decided'],
  reviewers: ['复审人', 'Reviewers'],
  jointReview: ['联合复审', 'Joint review'],
  crossReview: ['交叉复审', 'Cross review'],
  override: ['人工改派', 'Manual override'],
  h_create: ['生成', 'Created'], h_assign: ['随机分配', 'Assigned by draw'], h_accept: ['接收', 'Accepted'], h_resolve: ['办结', 'Resolved'],
  h_close: ['签批关闭', 'Signed off'], h_reassign: ['人工改派', 'Reassigned'], h_attach: ['归并预警', 'Alert attached'], h_submit: ['提交复审', 'Submitted'],
  h_draw: ['抽取', 'Drawn'], h_escalate: ['提交第三人', 'Escalated'], h_decide: ['定论', 'Decided'],
  liveKpi: ['实时指标', 'Live KPIs'],
  // Board (issue 11)
  q_today: ['今天', 'Today'], q_7d: ['近 7 天', 'Last 7 days'], q_month: ['本月', 'This month'], q_quarter: ['本季度', 'This quarter'], q_year: ['本年', 'This year'],
  asOf: ['数据截至 {t}', 'As of {t}'],
  sampleN: ['样本 n = {n}', 'n = {n}'],
  tooFewCases: ['样本不足 {min}，仅供参考', 'Fewer than {min} cases: indicative only'],
  targetMax: ['目标 ≤ {t}', 'Target ≤ {t}'],
  offTarget: ['未达目标', 'Off target'], onTarget: ['达标', 'On target'],
  rankingOfficers: ['干部预警排名', 'Officers by alerts'],
  heatmapSections: ['条线 × 类别热力图', 'Sections × categories'],
  liveToday: ['今日实时（{scope}）', 'Today, live ({scope})'],
  noAlertsInRange: ['所选期间没有预警', 'No alerts in this period'],
  more: ['加载更多', 'Load more'],
  officersShown: ['有预警的干部 {n} 人', '{n} officers with alerts'],
  apply: ['查询', 'Apply'],
  reconnecting: ['正在补齐断线期间的预警', 'Catching up on missed alerts'],
  // wall (live state, pause, counters)
  liveSince: ['实时 · {s} 秒前有信号', 'Live · heard {s} s ago'],
  connLost: ['连接中断 · 自 {t} 起（{s} 秒）· 数据可能已过时', 'Connection lost · since {t} ({s} s) · data may be stale'],
  connecting: ['正在连接…', 'Connecting…'],
  // indicators page
  searchIndicators: ['搜索编号或名称', 'Search id or name'], isort_id: ['按编号', 'By id'], isort_hits_desc: ['命中最多', 'Most hits'],
  isort_confirmed_desc: ['查实率最高', 'Highest confirmed share'], isort_severity: ['风险等级', 'By severity'],
  advanced: ['高级', 'advanced'], noParams: ['此指标无参数', 'This indicator has no parameters'], draftVersion: ['修改后', 'Draft'],
  blind: ['输入缺失', 'blind'], blindHint: ['此指标所需的输入字段在近期事件中从未出现，无法命中', 'The inputs this indicator reads never arrived in recent events: it cannot fire'],
  // workbench lists and draws
  riskTasks: ['风险任务', 'Risk tasks'], reviewsTitle: ['抽样复审', 'Sampling reviews'], review: ['复审', 'Review'],
  unfinished: ['未完成', 'Unfinished'], sortBy: ['排序', 'Sort'],
  sort_created_desc: ['最新生成在前', 'Newest first'], sort_created_asc: ['最早生成在前', 'Oldest first'],
  sort_deadline_asc: ['期限最近在前', 'Deadline soonest'], sort_deadline_desc: ['期限最远在前', 'Deadline latest'],
  newInList: ['有 {n} 条新任务，点击刷新', '{n} new tasks; click to reload'],
  algorithm: ['算法', 'Algorithm'], seed: ['随机种子', 'Seed'], neededLevel: ['所需级别', 'Level needed'], candidate: ['候选人', 'Candidate'],
  level: ['级别', 'Level'], openTasks: ['在办任务', 'Open tasks'], weight: ['权重', 'Weight'], share: ['概率', 'Chance'], drawn: ['抽中', 'Drawn'],
  noCandidates: ['无合格候选人', 'No eligible candidate'], excluded: ['排除', 'Excluded'], verifyDraw: ['复算验证', 'Verify by recomputing'],
  verifyLink: ['验证接口', 'Verification endpoint'], drawVerified: ['复算一致', 'Recomputed: identical'], drawNotVerified: ['复算不一致', 'Recomputed: differs'],
  drawId: ['抽取编号', 'Draw id'], startReviewDraw: ['发起抽样复审', 'Start a review draw'], drawNow: ['抽取', 'Draw'],
  drawDone: ['已抽取 {n} 项复审（共 {items} 项已办结业务）', '{n} reviews drawn (of {items} completed items)'], toBeforeFrom: ['结束日期不能早于开始日期', 'The end date is before the start date'],
  // server error codes (api.md), in the UI's language
  err_bad_request: ['请求参数有误', 'The request is not valid'], err_bad_json: ['请求内容不是有效的 JSON', 'The request body is not valid JSON'],
  err_unauthorized: ['请先登录（会话已失效）', 'Please log in (the session has ended)'], err_forbidden: ['无权执行此操作', 'You may not do this'],
  err_not_found: ['未找到', 'Not found'], err_conflict: ['状态已变化，操作未执行', 'The state changed; nothing was done'],
  err_payload_too_large: ['请求内容过大', 'The request is too large'], err_too_many_requests: ['请求过于频繁，请稍后再试', 'Too many requests; try again shortly'],
  err_overloaded: ['服务繁忙，请稍后再试', 'The server is busy; try again shortly'], err_unavailable: ['服务暂不可用（数据库不可达）', 'Service unavailable (store unreachable)'],
  err_internal: ['服务器内部错误', 'Internal server error'], err_network: ['网络连接失败', 'Network error'], err_unknown: ['请求失败', 'The request failed'],
  notFoundTitle: ['页面不存在', 'Page not found'], notFoundText: ['地址 {path} 没有对应的页面。', 'There is no page at {path}.'], goHome: ['返回首页', 'Go to the home page'],
  // evidence event attributes (events.md `attrs`), labelled in both languages
  attr_mode: ['分配方式', 'Assignment mode'], attr_assignee: ['承办人', 'Assignee'], attr_reason: ['原因', 'Reason'],
  attr_field: ['修改字段', 'Field modified'], attr_score: ['评分', 'Score'], attr_kind: ['类型', 'Kind'],
  attr_preferential: ['优惠政策', 'Preferential treatment'], attr_amount_delta: ['金额变动', 'Amount change'], attr_arrears: ['欠税', 'Arrears'],
  attr_trial_reviewed: ['已初审', 'Trial-reviewed'], attr_taxpayer_credit: ['纳税信用', 'Taxpayer credit'], attr_stage: ['环节', 'Stage'],
  attr_selection: ['选案方式', 'Case selection'], attr_rating_manual: ['人工评价', 'Manual rating'],
  attrv_random: ['随机', 'random'], attrv_manual: ['人工', 'manual'], attrv_true: ['是', 'yes'], attrv_false: ['否', 'no'],
  window: ['窗口', 'Window'], platform: ['业务平台', 'Platform'], flags: ['标记', 'Flags'],
  catchingUp: ['已重连，正在补齐…', 'Reconnected, catching up…'],
  caughtUp: ['已重连，补齐 {n} 条预警（断线 {s} 秒）', 'Reconnected, caught up {n} alerts (offline {s} s)'],
  paused: ['已暂停滚动 · {n} 条新预警', 'Paused · {n} new'],
  pausedHint: ['指针在列表上时暂停更新，点击显示新预警', 'Updates pause while the pointer is on the list; click to show new alerts'],
  countsWindow: ['统计窗口', 'Counted over'],
  win_1h: ['近 1 小时', 'last hour'],
  win_24h: ['近 24 小时', 'last 24 h'],
  win_7d: ['近 7 天', 'last 7 days'],
  win_30d: ['近 30 天', 'last 30 days'],
  matching: ['符合条件 {n} 条', '{n} matching'],
  loaded: ['已加载 {n} 条', '{n} loaded'],
  loadMore: ['加载更多', 'Load more'],
  endOfList: ['已到底', 'End of list'],
  keyboardHint: ['↑↓ 选择 · Enter 打开 · Esc 取消', '↑↓ select · Enter open · Esc clear'],
  claimTask: ['接收任务', 'Accept task'],
  taskAccepted: ['任务已接收', 'Task accepted'],
  perfExport: ['绩效评价导出', 'Performance export'],
  perfWindow: ['科室/窗口', 'Window'],
  // Four eyes (双人复核) and oversight (监督者的监督)
  proposals: ['双人复核', 'Four eyes'],
  oversight: ['内部监督', 'Oversight'],
  pendingProposals: ['待复核的变更', 'Pending changes'],
  decidedProposals: ['已处理的变更', 'Decided changes'],
  noProposals: ['没有待复核的变更', 'No pending changes'],
  proposer: ['提出人', 'Proposed by'],
  expires: ['到期', 'Expires'],
  decidedBy: ['复核人', 'Decided by'],
  approve: ['批准', 'Approve'],
  reject: ['驳回', 'Reject'],
  withdraw: ['撤回', 'Withdraw'],
  decisionNote: ['复核意见', 'Note'],
  ownProposal: ['本人提出：须由第二人复核', 'Your proposal: a second person decides'],
  proposeUserChange: ['提出用户权限变更', 'Propose a change of a user\'s rights'],
  user: ['用户', 'User'],
  newRole: ['新角色', 'New role'],
  newBureau: ['新单位', 'New bureau'],
  propose: ['提交复核', 'Propose'],
  pst_pending: ['待复核', 'Pending'], pst_approved: ['已批准', 'Approved'], pst_rejected: ['已驳回', 'Rejected'],
  pst_withdrawn: ['已撤回', 'Withdrawn'], pst_expired: ['已过期', 'Expired'], pst_failed: ['未能生效', 'Failed'],
  pk_user_change: ['用户权限', 'User rights'], pk_indicator_change: ['指标变更', 'Indicator change'], pk_task_reassign: ['任务改派', 'Reassignment'],
  sendBack: ['退回重办', 'Send back'],
  sendBackReason: ['退回理由', 'Reason for sending back'],
  oversightAlerts: ['内部监督预警', 'Oversight alerts'],
  oversightHint: ['监督对象为管理员与纪检人员；仅市局领导可见，且不向被监督者本人显示', 'These watch administrators and discipline staff; only HQ leaders see them, never the people they are about'],
  noOversightAlerts: ['暂无内部监督预警', 'No oversight alerts'],
  reports: ['领导报告', 'Reports'],
  reportWeekly: ['周报', 'Weekly'], reportMonthly: ['月报', 'Monthly'], reportMake: ['立即生成', 'Produce now'], reportOnDemand: ['按需', 'on demand'],
  reportPrint: ['打印', 'Print'], reportPeriod: ['期间', 'Period'], reportPrevious: ['上期', 'Previous period'], reportProduced: ['生成时间', 'Produced'],
  reportKpis: ['关键指标（环比、目标）', 'KPIs: against the previous period and the target'], reportThis: ['本期', 'This period'], reportPrev: ['上期', 'Previous'],
  reportChange: ['变化', 'Change'], reportTarget: ['目标', 'Target'], reportMet: ['达标', 'met'], reportMissed: ['未达标', 'missed'],
  reportTopIndicators: ['主要风险：指标', 'Top risks: indicators'], reportTopOfficers: ['主要风险：干部', 'Top risks: officers'], reportHigh: ['高/严重', 'High/critical'],
  reportOpen: ['未办结与超期', 'Open work and overdue'], reportOpenTasks: ['未办结风险任务', 'Open risk tasks'], reportOverdueTasks: ['其中超期', 'overdue'],
  reportAsOf: ['截至', 'as of'], reportItemsDue: ['本期到期事项', 'items due in the period'], reportItemsOverdue: ['超期事项', 'overdue'],
  reportTask: ['任务', 'Task'], reportDeadline: ['期限', 'Deadline'], reportHoursOver: ['超期小时', 'Hours over'], reportNone: ['暂无报告', 'No reports yet'],
} as const satisfies Record<string, readonly [string, string]>;

export type StringKey = keyof typeof STRINGS;

class I18n {
  lang = $state<Lang>(readStoredLang());

  /** Translate a key; `{name}` placeholders are filled from vars. */
  t = (key: StringKey, vars?: Record<string, string | number>): string => {
    const pair = STRINGS[key] as readonly [string, string] | undefined;
    let s = pair ? pair[this.lang === 'zh' ? 0 : 1] : key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
    return s;
  };

  /** For dynamic keys (category, severity, state…): falls back to the raw value. */
  tx = (prefix: string, value: string | null | undefined): string => {
    if (!value) return '—';
    const key = `${prefix}_${value}` as StringKey;
    return key in STRINGS ? this.t(key) : value;
  };

  /** A {zh, en} pair from the server in the current language. */
  pick = (m: { zh?: string; en?: string } | null | undefined): string => (m ? (this.lang === 'zh' ? m.zh ?? m.en : m.en ?? m.zh) ?? '' : '');

  setLang(lang: Lang) {
    this.lang = lang;
    try { localStorage.setItem('im.lang', lang); } catch { /* private mode */ }
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = this.t('appTitle');
  }

  toggle() { this.setLang(this.lang === 'zh' ? 'en' : 'zh'); }

  /** Local date-time in Asia/Shanghai, the bureau's clock, whatever the browser's zone. */
  time = (iso: string | number | null | undefined): string => {
    if (iso === null || iso === undefined || iso === '') return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return formatter(this.lang).format(d);
  };
}

// Building a DateTimeFormat is costly; the wall formats rows every frame under a burst.
const formatters = new Map<Lang, Intl.DateTimeFormat>();
function formatter(lang: Lang): Intl.DateTimeFormat {
  let f = formatters.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(lang, f);
  }
  return f;
}

function readStoredLang(): Lang {
  try { return localStorage.getItem('im.lang') === 'en' ? 'en' : 'zh'; } catch { return 'zh'; }
}

export const i18n = new I18n();
export const t = i18n.t;
