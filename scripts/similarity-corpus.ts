/**
 * R-REV-3: a generated corpus of Chinese diagnosis-report-like texts with labelled copies, shared by the
 * bench (scripts/bench-similarity.ts) and the engine's unit tests (app/domain/similarity/*.test.ts).
 *
 * Distinct originals are built from word lists: each company draws its own vocabulary (products,
 * workshops, machines, problems), sentences combine it with numbers and connectives under the rubric's
 * headings, so two originals share headings and phrases but rarely a clause. Derived copies: verbatim,
 * sentences reordered, 10–40% of sentences replaced, company names swapped, boilerplate inserted, and a
 * mix of these. Every sentence carries an id, so the share of text two reports have in common is known
 * exactly (truthShares). render() lays a report out as text extracted from a PDF would read.
 */
// ---------------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------------

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
function pick<T>(rng: Rng, list: readonly T[]): T {
  const item = list[Math.floor(rng() * list.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a = list[i];
    const b = list[j];
    if (a !== undefined && b !== undefined) {
      list[i] = b;
      list[j] = a;
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------
// Word lists. Each company draws its own vocabulary (its products, workshops, machines, problems) from
// these lists, as a real report talks about its own enterprise; sentences then combine that vocabulary
// with numbers and connectives, so two distinct reports share phrases but rarely a whole clause.
// ---------------------------------------------------------------------------------------------------

const BRAND_CHARS =
  "华兴鑫恒泰瑞宏达金源博联美昌盛宇晟康丰力诚信润通海天正峰祥安顺和嘉启明远创新立德隆凯升腾飞汇中科永固佳宝";
const INDUSTRIES = [
  "机械",
  "陶瓷",
  "化工",
  "医疗科技",
  "弹簧科技",
  "耐火材料",
  "电机",
  "新材料",
  "精密制造",
  "汽车零部件",
  "纺织",
  "食品",
  "环保设备",
  "泵业",
  "阀门",
  "铸造",
  "轴承",
  "玻璃",
  "制药",
  "塑胶",
  "电子",
  "包装",
  "建材",
  "智能装备",
];
const PROVIDER_WORDS = ["工业互联网", "信息技术", "智能科技", "数字科技", "软件", "智能制造", "自动化工程", "云计算"];
const PRODUCTS = [
  "高压柱塞泵",
  "汽车悬架弹簧",
  "特种陶瓷辊棒",
  "医用导管",
  "耐火浇注料",
  "永磁同步电机",
  "精密轴承套圈",
  "化工中间体",
  "玻璃纤维布",
  "不锈钢阀门",
  "球墨铸铁件",
  "锂电池隔膜",
  "聚氨酯泡沫",
  "无纺布卷材",
  "铝合金压铸件",
  "减速机齿轮",
  "离心风机",
  "涂料树脂",
  "医用敷料",
  "食品级包装膜",
  "耐磨钢球",
  "蜂窝陶瓷载体",
  "液压油缸",
  "电子线束",
  "稳定杆",
  "刹车盘",
  "氧化铝微粉",
  "碳化硅制品",
  "节能灯具",
  "密封件",
  "冷轧钢带",
  "水处理剂",
  "抗生素原料药",
  "输液器",
  "复合管材",
  "石英坩埚",
  "电缆料",
  "工业滤布",
  "铸造涂料",
  "变压器铁芯",
  "不干胶标签",
  "瓦楞纸箱",
];
const WORKSHOPS = [
  "机加工车间",
  "装配车间",
  "成型车间",
  "热处理车间",
  "涂装车间",
  "包装车间",
  "烧成车间",
  "原料车间",
  "质检中心",
  "仓储中心",
  "压铸车间",
  "注塑车间",
  "焊接车间",
  "冲压车间",
  "喷涂线",
  "混料工段",
  "精加工车间",
  "一号厂房",
  "二号厂房",
  "成品库",
  "研发中心",
  "动力车间",
  "抛光车间",
  "制剂车间",
];
const DEVICES = [
  "数控机床",
  "加工中心",
  "注塑机",
  "空压机",
  "隧道窑",
  "工业机器人",
  "冲压机",
  "焊接机器人",
  "自动包装线",
  "检测设备",
  "压铸机",
  "反应釜",
  "输送线",
  "激光切割机",
  "三坐标测量仪",
  "卷绕机",
  "烘干炉",
  "球磨机",
  "压滤机",
  "码垛机器人",
  "喷涂机器人",
  "数控车床",
  "折弯机",
  "研磨机",
  "灌装机",
  "分切机",
  "挤出机",
  "中频炉",
];
const CONTROLS = ["PLC", "DCS", "数控系统", "变频器", "伺服系统", "触摸屏", "单片机", "运动控制器"];
const SYSTEMS = ["MES", "ERP", "WMS", "PLM", "QMS", "EMS", "SCADA", "APS", "CRM", "OA", "SRM", "TPM", "LIMS", "BI"];
const SYSTEM_NAMES = [
  "制造执行系统",
  "企业资源计划系统",
  "仓储管理系统",
  "产品生命周期管理系统",
  "质量管理系统",
  "能源管理系统",
  "数据采集与监控系统",
  "高级计划排程系统",
  "设备管理系统",
  "实验室信息管理系统",
  "供应商协同平台",
  "安全生产管理平台",
];
const DATA_KINDS = [
  "设备运行状态",
  "主轴转速",
  "能耗数据",
  "工艺参数",
  "产量数据",
  "故障报警信息",
  "温度压力曲线",
  "质检结果",
  "物料批次",
  "人员工时",
  "刀具寿命",
  "窑炉温度",
  "模具次数",
  "订单进度",
  "废品数量",
  "电流电压",
  "振动数据",
  "烘干时间",
];
const GATEWAYS = [
  "工业网关",
  "边缘计算盒",
  "数据采集终端",
  "智能电表",
  "RFID读写器",
  "扫码枪",
  "工业交换机",
  "无线AP",
  "温湿度传感器",
  "串口服务器",
];
const PROBLEMS = [
  "设备联网率低",
  "数据采集依赖人工",
  "生产计划排产粗放",
  "质量追溯困难",
  "库存数据不准确",
  "能耗管理缺乏精细化手段",
  "信息系统相互孤立",
  "关键工序自动化程度不高",
  "设备点检记录不完整",
  "订单交付周期偏长",
  "专业信息化人才不足",
  "成本核算滞后",
  "工艺参数依靠经验设定",
  "现场物料配送不及时",
  "模具管理混乱",
  "仓库账实不符",
  "设备老化严重",
  "安全隐患排查依靠纸质台账",
  "能源计量器具配备不足",
  "销售预测不准确",
  "采购周期不可控",
  "图纸版本管理混乱",
];
const CONSEQUENCES = [
  "管理层难以及时掌握生产进度",
  "产品一次合格率波动较大",
  "在制品积压严重",
  "设备非计划停机时间较长",
  "人工成本逐年上升",
  "客户投诉处理周期较长",
  "原材料损耗偏高",
  "交货准时率不足",
  "数据统计口径不一致",
  "紧急插单频繁打乱计划",
  "质量问题难以定位到班组",
  "能源费用居高不下",
  "备品备件库存积压",
  "月底结账需要加班数日",
];
const GOALS = [
  "生产过程透明化",
  "设备状态实时监控",
  "质量问题全流程追溯",
  "计划排产自动化",
  "能耗在线监测",
  "库存精准管理",
  "工艺参数闭环控制",
  "订单进度可视化",
  "设备预防性维护",
  "业财一体化",
  "关键工序无人化",
  "物料齐套检查",
  "模具全生命周期管理",
  "安全风险在线预警",
  "来料检验数字化",
  "车间无纸化",
];
const METRICS = [
  "生产效率",
  "设备综合效率",
  "产品一次合格率",
  "订单准时交付率",
  "库存周转率",
  "人均产值",
  "能源利用率",
  "数据采集及时率",
  "设备利用率",
  "计划达成率",
];
const DOWN_METRICS = [
  "运营成本",
  "产品不良率",
  "单位产品能耗",
  "库存资金占用",
  "设备故障停机时间",
  "人工成本",
  "生产周期",
  "原材料损耗",
  "质量损失",
];
const ROLES = [
  "总经理",
  "生产副总",
  "信息部经理",
  "技术总监",
  "设备科长",
  "质量部长",
  "财务总监",
  "车间主任",
  "董事长",
];
const SCOPES = ["全国", "山东省", "淄博市", "张店区", "华北地区", "鲁中地区"];
const RANKS = ["领先", "中上游", "前列", "中等偏上", "骨干", "第一梯队", "前十"];
const HONORS = [
  "高新技术企业",
  "专精特新中小企业",
  "瞪羚企业",
  "单项冠军培育企业",
  "省级企业技术中心",
  "绿色工厂",
  "守合同重信用企业",
  "两化融合贯标企业",
];
const PARKS = ["经济开发区", "高新区", "马尚街道", "中埠镇", "房镇镇", "南定镇", "科苑街道", "沣水镇", "湖田街道"];
const SOFTWARES = [
  "MES软件",
  "ERP软件",
  "WMS软件",
  "设备管理平台",
  "数据中台",
  "可视化看板",
  "移动端应用",
  "工业APP",
  "能源管理软件",
  "质量追溯平台",
];
const HARDWARES = [
  "服务器",
  "工业网关",
  "触摸一体机",
  "电子看板",
  "PDA手持终端",
  "视觉检测相机",
  "AGV小车",
  "智能仓储货架",
  "环网交换机",
  "工控机",
  "条码打印机",
];
const COSTS = [
  "人工成本",
  "电费",
  "原材料费用",
  "质量损失",
  "库存资金利息",
  "设备维修费用",
  "天然气费用",
  "外协加工费",
];
const TASKS = [
  "网络改造和设备联网",
  "MES系统上线",
  "ERP系统升级",
  "数据平台搭建",
  "人员培训和试运行",
  "系统集成与验收",
  "条码体系建设",
  "能源计量改造",
];
const CONNECTIVES = [
  "目前",
  "总体来看",
  "经现场调研",
  "据企业介绍",
  "从调研情况看",
  "截至2022年底",
  "同时",
  "此外",
  "另一方面",
  "在此基础上",
  "为此",
  "具体而言",
  "经测算",
  "据统计",
  "调研发现",
  "近年来",
  "与同行业相比",
  "从长远看",
  "结合企业实际",
  "根据座谈情况",
  "在实施过程中",
  "考虑到企业现状",
  "从投入产出看",
  "按照先易后难的原则",
];

type Vocabulary = {
  products: string[];
  workshops: string[];
  devices: string[];
  systems: string[];
  problems: string[];
  goals: string[];
  dataKinds: string[];
  hardwares: string[];
  softwares: string[];
  roles: string[];
  metrics: string[];
  downMetrics: string[];
  consequences: string[];
  tasks: string[];
  costs: string[];
  gateways: string[];
};

function some(rng: Rng, list: readonly string[], n: number): string[] {
  return shuffle(rng, [...list]).slice(0, n);
}

function makeVocabulary(rng: Rng): Vocabulary {
  return {
    products: some(rng, PRODUCTS, 4),
    workshops: some(rng, WORKSHOPS, 5),
    devices: some(rng, DEVICES, 6),
    systems: some(rng, SYSTEMS, 5),
    problems: some(rng, PROBLEMS, 6),
    goals: some(rng, GOALS, 6),
    dataKinds: some(rng, DATA_KINDS, 6),
    hardwares: some(rng, HARDWARES, 5),
    softwares: some(rng, SOFTWARES, 4),
    roles: some(rng, ROLES, 4),
    metrics: some(rng, METRICS, 5),
    downMetrics: some(rng, DOWN_METRICS, 4),
    consequences: some(rng, CONSEQUENCES, 5),
    tasks: some(rng, TASKS, 5),
    costs: some(rng, COSTS, 4),
    gateways: some(rng, GATEWAYS, 4),
  };
}

type Ctx = { rng: Rng; company: string; shortName: string; v: Vocabulary };

const n = (c: Ctx, lo: number, hi: number) => int(c.rng, lo, hi);
const p = <T>(c: Ctx, list: readonly T[]) => pick(c.rng, list);

const CLAUSES: Record<"basic" | "advice" | "budget", Array<(c: Ctx) => string>> = {
  basic: [
    (c) => `${c.company}成立于${n(c, 1988, 2016)}年${n(c, 1, 12)}月`,
    (c) => `注册资本${n(c, 100, 9000)}万元，位于淄博市张店区${p(c, PARKS)}`,
    (c) => `现有员工${n(c, 60, 900)}人，其中专业技术人员${n(c, 8, 120)}人`,
    (c) => `主要产品包括${p(c, c.v.products)}、${p(c, c.v.products)}和${p(c, c.v.products)}`,
    (c) => `年产${p(c, c.v.products)}约${n(c, 2, 900)}万件，${p(c, c.v.products)}约${n(c, 1, 500)}万件`,
    (c) => `${n(c, 2019, 2021)}年实现营业收入${n(c, 3000, 90000)}万元，利税${n(c, 100, 9000)}万元`,
    (c) =>
      `${p(c, c.v.products)}销往${p(c, ["华东", "华北", "西南", "东南亚", "欧洲", "中东", "南美"])}等${n(c, 3, 40)}个国家和地区`,
    (c) => `先后获评${p(c, HONORS)}、${p(c, HONORS)}`,
    (c) => `${p(c, c.v.workshops)}现有${p(c, c.v.devices)}${n(c, 3, 80)}台，${p(c, c.v.devices)}${n(c, 2, 40)}台`,
    (c) => `其中采用${p(c, CONTROLS)}控制的${p(c, c.v.devices)}约占${n(c, 10, 90)}%`,
    (c) => `${p(c, c.v.workshops)}的${p(c, c.v.devices)}尚未接入网络`,
    (c) =>
      `${p(c, c.v.dataKinds)}和${p(c, c.v.dataKinds)}主要依靠${p(c, ["人工抄录", "班组长填报", "纸质台账", "事后统计"])}`,
    (c) =>
      `${n(c, 2008, 2021)}年上线了${p(c, c.v.systems)}系统，目前主要用于${p(c, ["财务核算", "采购管理", "销售开票", "库存记账", "人事考勤"])}`,
    (c) => `${p(c, c.v.systems)}与${p(c, c.v.systems)}之间${p(c, c.v.dataKinds)}尚未打通`,
    (c) => `${p(c, c.v.workshops)}的生产计划仍通过${p(c, ["Excel表格", "纸质工单", "微信群", "口头"])}下达`,
    (c) => `${c.shortName}的${p(c, c.v.products)}在${p(c, SCOPES)}同类企业中处于${p(c, RANKS)}水平`,
    (c) => `${p(c, c.v.products)}国内市场占有率约${n(c, 3, 40)}%，产量位居${p(c, SCOPES)}第${n(c, 1, 12)}位`,
    (c) => `企业存在${p(c, c.v.problems)}、${p(c, c.v.problems)}等问题`,
    (c) => `${p(c, c.v.problems)}导致${p(c, c.v.consequences)}`,
    (c) => `${p(c, c.v.workshops)}${p(c, c.v.consequences)}`,
    (c) => `诊断组${n(c, 2, 6)}名专家走访了${p(c, c.v.workshops)}和${p(c, c.v.workshops)}`,
    (c) => `与${p(c, c.v.roles)}、${p(c, c.v.roles)}进行了${n(c, 1, 4)}轮座谈`,
    (c) => `${p(c, c.v.workshops)}自动化率约为${n(c, 15, 85)}%，关键工序数控化率约为${n(c, 20, 90)}%`,
    (c) => `近三年信息化投入累计${n(c, 20, 900)}万元，占营业收入的${n(c, 1, 9)}.${n(c, 0, 9)}%`,
    (c) => `${p(c, ["网络覆盖", "无线信号", "机房条件", "数据存储"])}不能满足${p(c, c.v.goals)}的需要`,
    (c) => `对策是以${p(c, c.v.goals)}为抓手解决${p(c, c.v.problems)}的问题`,
  ],
  advice: [
    (c) => `建议${c.shortName}在${p(c, c.v.workshops)}建设${p(c, SYSTEM_NAMES)}`,
    (c) => `对${p(c, c.v.workshops)}的${n(c, 3, 60)}台${p(c, c.v.devices)}进行联网改造`,
    (c) => `部署${p(c, c.v.gateways)}${n(c, 2, 40)}台，实时采集${p(c, c.v.dataKinds)}和${p(c, c.v.dataKinds)}`,
    (c) => `通过${p(c, c.v.systems)}实现${p(c, c.v.products)}的${p(c, c.v.goals)}`,
    (c) => `逐步实现${p(c, c.v.goals)}和${p(c, c.v.goals)}`,
    (c) => `硬件方面新增${p(c, c.v.hardwares)}${n(c, 1, 30)}套、${p(c, c.v.hardwares)}${n(c, 1, 20)}台`,
    (c) => `在${p(c, c.v.workshops)}配置${p(c, c.v.hardwares)}和${p(c, c.v.hardwares)}`,
    (c) => `软件方面部署${p(c, c.v.softwares)}，覆盖${p(c, c.v.workshops)}${n(c, 2, 12)}条产线`,
    (c) =>
      `将${p(c, c.v.systems)}与${p(c, c.v.systems)}集成，统一${p(c, ["物料编码", "设备编码", "客户编码", "工艺路线"])}`,
    (c) => `项目分${n(c, 2, 4)}个阶段推进，第${p(c, ["一", "二", "三", "四"])}阶段完成${p(c, c.v.tasks)}`,
    (c) => `由${p(c, c.v.roles)}牵头、${p(c, c.v.roles)}配合成立数字化转型专班`,
    (c) => `优先解决${p(c, c.v.workshops)}${p(c, c.v.problems)}的问题`,
    (c) => `在${p(c, c.v.workshops)}试点${p(c, c.v.goals)}，成熟后推广到${p(c, c.v.workshops)}`,
    (c) => `建立以${p(c, c.v.metrics)}和${p(c, c.v.metrics)}为核心的考核指标`,
    (c) => `制定${p(c, ["设备编码", "物料编码", "数据采集", "网络安全", "系统运维"])}规范${n(c, 1, 6)}项`,
    (c) => `开展${n(c, 2, 10)}期${p(c, c.v.systems)}操作培训，培训${n(c, 10, 200)}人次`,
    (c) =>
      `${p(c, c.v.devices)}加装${p(c, ["传感器", "电表", "扫码设备", "视觉相机", "计数器"])}，采集${p(c, c.v.dataKinds)}`,
    (c) =>
      `打通从${p(c, ["订单", "采购", "计划", "仓储"])}到${p(c, ["交付", "生产", "质检", "财务"])}的${p(c, c.v.dataKinds)}`,
    (c) => `避免${p(c, ["重复投资", "信息孤岛", "数据失真", "系统闲置"])}，保障${p(c, c.v.goals)}`,
    (c) =>
      `${p(c, c.v.products)}生产线引入${p(c, ["工业机器人", "自动上下料装置", "在线检测设备", "AGV"])}${n(c, 1, 12)}台`,
  ],
  budget: [
    (c) => `项目总投资约${n(c, 40, 900)}万元，其中硬件投入${n(c, 10, 500)}万元`,
    (c) => `${p(c, c.v.softwares)}投入${n(c, 10, 400)}万元，实施服务费用${n(c, 5, 80)}万元`,
    (c) => `${p(c, c.v.tasks)}建设期为${n(c, 3, 18)}个月，计划于${n(c, 2023, 2024)}年${n(c, 1, 12)}月完成`,
    (c) => `项目实施后${p(c, c.v.metrics)}预计提升${n(c, 5, 40)}%`,
    (c) => `${p(c, c.v.downMetrics)}预计降低${n(c, 5, 35)}%，每年可节约${p(c, c.v.costs)}约${n(c, 5, 300)}万元`,
    (c) => `投资回收期约${n(c, 1, 5)}.${n(c, 0, 9)}年，内部收益率约${n(c, 8, 40)}%`,
    (c) => `${p(c, c.v.products)}新增年产值约${n(c, 100, 9000)}万元`,
    (c) => `${p(c, c.v.tasks)}预计需要${n(c, 1, 6)}个月，投入${n(c, 5, 200)}万元`,
    (c) => `${n(c, 60, 100)}%资金由企业自筹，其余申请${p(c, SCOPES)}技术改造奖补`,
    (c) => `${p(c, c.v.metrics)}由目前的${n(c, 40, 80)}%提高到${n(c, 81, 98)}%`,
    (c) => `${p(c, c.v.workshops)}可减少${p(c, ["操作工", "统计员", "质检员", "搬运工"])}${n(c, 2, 30)}人`,
  ],
};

function makeClause(section: Section, c: Ctx): string {
  const clause = pick(c.rng, CLAUSES[section])(c);
  return c.rng() < 0.3 ? `${pick(c.rng, CONNECTIVES)}，${clause}` : clause;
}

// ---------------------------------------------------------------------------------------------------
// Reports as blocks of sentences with ids
// ---------------------------------------------------------------------------------------------------

type Sentence = { id: number; text: string };
type Section = "basic" | "advice" | "budget";
type Block = { kind: "line"; text: string } | { kind: "para"; section: Section; sentences: Sentence[] };
export type Report = {
  name: string;
  company: string;
  shortName: string;
  provider: string;
  date: string;
  vocabulary: Vocabulary;
  blocks: Block[];
  /** Ids of the original this report derives from (itself for originals) */
  family: number;
  kind: CopyKind | "original";
};
export type CopyKind = "verbatim" | "reordered" | "replaced" | "names_swapped" | "boilerplate" | "mixed";

let nextSentenceId = 1;

function makeCompany(rng: Rng): { company: string; shortName: string } {
  const brand = BRAND_CHARS[int(rng, 0, BRAND_CHARS.length - 1)] ?? "华";
  const brand2 = BRAND_CHARS[int(rng, 0, BRAND_CHARS.length - 1)] ?? "兴";
  const industry = pick(rng, INDUSTRIES);
  const shortName = `${brand}${brand2}${industry}`;
  return { company: `淄博${shortName}${rng() < 0.3 ? "股份" : ""}有限公司`, shortName };
}

function makeSentence(rng: Rng, section: Section, ctx: Ctx): Sentence {
  const count = int(rng, 1, 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(makeClause(section, ctx));
  return { id: nextSentenceId++, text: `${parts.join("，")}。` };
}

// Generic passages a copier pads a report with (and that some originals legitimately share).
const BOILERPLATE_SENTENCES: Sentence[] = [];
function boilerplatePool(rng: Rng): Sentence[][] {
  if (BOILERPLATE_SENTENCES.length === 0) {
    const ctx: Ctx = { rng, company: "本企业", shortName: "企业", v: makeVocabulary(rng) };
    const openers = [
      "为深入贯彻落实国家制造强国战略和数字中国建设部署，加快推动制造业数字化转型，",
      "本报告依据《张店区智能化改造数字化转型诊断服务工作方案》编制，",
      "诊断服务坚持问题导向、需求导向和效益导向，",
      "本报告所涉及的数据由企业提供并经诊断组现场核实，仅供企业内部决策参考，",
      "按照“企业出题、专家答题、政府助力”的工作思路，",
    ];
    for (let p = 0; p < 40; p++) {
      for (let s = 0; s < 5; s++) {
        const base = makeSentence(rng, pick(rng, ["basic", "advice", "budget"] as const), ctx);
        BOILERPLATE_SENTENCES.push({ id: base.id, text: `${pick(rng, openers)}${base.text}` });
      }
    }
  }
  const paragraphs: Sentence[][] = [];
  for (let p = 0; p < 40; p++) paragraphs.push(BOILERPLATE_SENTENCES.slice(p * 5, p * 5 + 5));
  return paragraphs;
}

const HEADINGS: Record<Section, string[]> = {
  basic: ["一、基本情况", "（一）企业概况", "（二）自动化和信息化水平", "（三）行业地位", "（四）存在问题及对策"],
  advice: [
    "二、诊断建议",
    "（一）数字化转型内容",
    "（二）实施方案",
    "1. 硬件方面",
    "2. 软件方面",
    "（三）实操指导意见",
  ],
  budget: ["三、项目测算", "（一）初步预算", "（二）建设期", "（三）经济效益"],
};
const SHARE: Record<Section, number> = { basic: 0.3, advice: 0.4, budget: 0.3 };

export function makeOriginal(rng: Rng, targetChars: number, familyId: number, pool: Sentence[][]): Report {
  const { company, shortName } = makeCompany(rng);
  const provider = `淄博${pick(rng, [...BRAND_CHARS])}${pick(rng, [...BRAND_CHARS])}${pick(rng, PROVIDER_WORDS)}有限公司`;
  const date = `2022年${int(rng, 9, 12)}月${int(rng, 1, 28)}日`;
  const vocabulary = makeVocabulary(rng);
  const ctx: Ctx = { rng, company, shortName, v: vocabulary };
  const blocks: Block[] = [
    { kind: "line", text: `${company}智能化改造数字化转型诊断报告` },
    { kind: "line", text: `编制单位：${provider}` },
    { kind: "line", text: `编制日期：${date}` },
  ];
  const target = targetChars * (0.85 + rng() * 0.3);
  for (const section of ["basic", "advice", "budget"] as const) {
    const headings = HEADINGS[section];
    const budget = target * SHARE[section];
    let written = 0;
    let h = 0;
    const perHeading = budget / headings.length;
    while (written < budget) {
      if (h < headings.length && written >= h * perHeading) {
        blocks.push({ kind: "line", text: headings[h] ?? "" });
        h++;
      }
      const sentences: Sentence[] = [];
      const count = int(rng, 4, 10);
      for (let i = 0; i < count; i++) {
        const s = makeSentence(rng, section, ctx);
        sentences.push(s);
        written += s.text.length;
      }
      blocks.push({ kind: "para", section, sentences });
    }
  }
  // Some providers open every report with the same policy paragraph: legitimate shared text.
  if (rng() < 0.3) blocks.splice(3, 0, { kind: "para", section: "basic", sentences: pick(rng, pool.slice(0, 8)) });
  return { name: "", company, shortName, provider, date, vocabulary, blocks, family: familyId, kind: "original" };
}

function cloneBlocks(blocks: Block[]): Block[] {
  return blocks.map((b) => (b.kind === "line" ? { ...b } : { ...b, sentences: b.sentences.map((s) => ({ ...s })) }));
}

function reorder(rng: Rng, blocks: Block[]): Block[] {
  // Shuffle sentences within each paragraph, and paragraphs between the same section's headings.
  const out = cloneBlocks(blocks);
  for (const b of out) if (b.kind === "para") shuffle(rng, b.sentences);
  let i = 0;
  while (i < out.length) {
    if (out[i]?.kind !== "para") {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j]?.kind === "para") j++;
    const run = shuffle(rng, out.slice(i, j));
    out.splice(i, j - i, ...run);
    i = j;
  }
  return out;
}

function replaceSentences(rng: Rng, report: Report, fraction: number): Block[] {
  const ctx: Ctx = { rng, company: report.company, shortName: report.shortName, v: report.vocabulary };
  const out = cloneBlocks(report.blocks);
  const all: Array<{ block: Extract<Block, { kind: "para" }>; index: number }> = [];
  for (const b of out) if (b.kind === "para") b.sentences.forEach((_, index) => all.push({ block: b, index }));
  const chosen = shuffle(rng, all).slice(0, Math.round(all.length * fraction));
  for (const { block, index } of chosen) block.sentences[index] = makeSentence(rng, block.section, ctx);
  return out;
}

function swapNames(report: Report, to: { company: string; shortName: string; provider: string; date: string }): Report {
  const swap = (text: string) =>
    text
      .replaceAll(report.company, to.company)
      .replaceAll(report.shortName, to.shortName)
      .replaceAll(report.provider, to.provider)
      .replaceAll(report.date, to.date);
  const blocks = report.blocks.map((b): Block =>
    b.kind === "line"
      ? { kind: "line", text: swap(b.text) }
      : { ...b, sentences: b.sentences.map((s) => ({ id: s.id, text: swap(s.text) })) },
  );
  return { ...report, ...to, blocks };
}

function insertBoilerplate(rng: Rng, blocks: Block[], pool: Sentence[][], fraction: number): Block[] {
  const out = cloneBlocks(blocks);
  const size = out.reduce(
    (n, b) => n + (b.kind === "para" ? b.sentences.reduce((m, s) => m + s.text.length, 0) : 0),
    0,
  );
  let added = 0;
  while (added < size * fraction) {
    const para = pick(rng, pool);
    const at = int(rng, 3, out.length);
    out.splice(at, 0, { kind: "para", section: "basic", sentences: para.map((s) => ({ ...s })) });
    added += para.reduce((m, s) => m + s.text.length, 0);
  }
  return out;
}

export function deriveCopy(rng: Rng, original: Report, kind: CopyKind, pool: Sentence[][]): Report {
  const other = () => {
    const { company, shortName } = makeCompany(rng);
    const provider = `淄博${pick(rng, [...BRAND_CHARS])}${pick(rng, [...BRAND_CHARS])}${pick(rng, PROVIDER_WORDS)}有限公司`;
    return { company, shortName, provider, date: `2022年${int(rng, 9, 12)}月${int(rng, 1, 28)}日` };
  };
  switch (kind) {
    case "verbatim":
      return { ...original, blocks: cloneBlocks(original.blocks), kind };
    case "reordered":
      return { ...original, blocks: reorder(rng, original.blocks), kind };
    case "replaced":
      return { ...original, blocks: replaceSentences(rng, original, 0.1 + rng() * 0.3), kind };
    case "names_swapped":
      return { ...swapNames(original, other()), kind };
    case "boilerplate":
      return { ...original, blocks: insertBoilerplate(rng, original.blocks, pool, 0.1 + rng() * 0.3), kind };
    case "mixed": {
      const swapped = swapNames(original, other());
      const replaced = { ...swapped, blocks: replaceSentences(rng, swapped, 0.1 + rng() * 0.2) };
      return { ...replaced, blocks: insertBoilerplate(rng, reorder(rng, replaced.blocks), pool, 0.1), kind };
    }
  }
}

const FULL_WIDTH_DIGITS = "０１２３４５６７８９";

/** Lays a report out as text extracted from its PDF would read: wrapped lines, page numbers, a running title. */
export function render(rng: Rng, report: Report): string {
  const width = rng() < 0.2 ? 0 : int(rng, 28, 46);
  const fullWidth = rng() < 0.25;
  const linesPerPage = int(rng, 30, 42);
  const title = report.blocks[0]?.kind === "line" ? report.blocks[0].text : "诊断报告";
  const lines: string[] = [];
  for (const block of report.blocks) {
    const text = block.kind === "line" ? block.text : block.sentences.map((s) => s.text).join("");
    if (block.kind === "line" || width === 0) {
      lines.push(block.kind === "para" ? `　　${text}` : text);
      continue;
    }
    const indented = `　　${text}`;
    for (let i = 0; i < indented.length; i += width) lines.push(indented.slice(i, i + width));
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && i % linesPerPage === 0) {
      out.push(`- ${i / linesPerPage} -`);
      out.push(title);
    }
    out.push(fullWidth ? line.replace(/[0-9]/g, (d) => FULL_WIDTH_DIGITS[Number(d)] ?? d) : line);
  });
  return out.join(rng() < 0.5 ? "\n" : "\r\n");
}

export type Corpus = { reports: Report[]; texts: string[] };

/** Originals first, then copies of random originals (so some originals have several copies). */
export function generateCorpus(seed: number, count: number, targetChars: number, copyShare = 0.35): Corpus {
  const rng = mulberry32(seed);
  const pool = boilerplatePool(rng);
  const originals = Math.round(count * (1 - copyShare));
  const reports: Report[] = [];
  for (let i = 0; i < originals; i++) {
    const r = makeOriginal(rng, targetChars, i, pool);
    r.name = `o${String(i).padStart(4, "0")}`;
    reports.push(r);
  }
  const kinds: CopyKind[] = ["verbatim", "reordered", "replaced", "names_swapped", "boilerplate", "mixed"];
  for (let i = originals; i < count; i++) {
    const source = reports[int(rng, 0, originals - 1)];
    if (!source) throw new Error("no original");
    const kind = kinds[(i - originals) % kinds.length] ?? "verbatim";
    const copy = deriveCopy(rng, source, kind, pool);
    copy.name = `c${String(i).padStart(4, "0")}-${kind}-of-${source.name}`;
    copy.family = source.family;
    reports.push(copy);
  }
  return { reports, texts: reports.map((r) => render(rng, r)) };
}

/** For every pair sharing any sentence: the share of the smaller side's text found in the other. */
export function truthShares(reports: Report[]): Map<string, number> {
  const sets = reports.map((r) => {
    const lengths = new Map<number, number>();
    for (const b of r.blocks)
      if (b.kind === "para") for (const s of b.sentences) lengths.set(s.id, (lengths.get(s.id) ?? 0) + s.text.length);
    let total = 0;
    for (const v of lengths.values()) total += v;
    return { lengths, total };
  });
  const docsById = new Map<number, number[]>();
  sets.forEach((set, doc) => {
    for (const id of set.lengths.keys()) {
      const list = docsById.get(id);
      if (list) list.push(doc);
      else docsById.set(id, [doc]);
    }
  });
  const pairs = new Set<number>();
  for (const docs of docsById.values()) {
    for (let i = 0; i < docs.length; i++)
      for (let j = i + 1; j < docs.length; j++) pairs.add((docs[i] ?? 0) * 100_000 + (docs[j] ?? 0));
  }
  const shares = new Map<string, number>();
  for (const key of pairs) {
    const a = Math.floor(key / 100_000);
    const b = key % 100_000;
    const sa = sets[a];
    const sb = sets[b];
    if (!sa || !sb) continue;
    let inA = 0;
    for (const [id, len] of sa.lengths) if (sb.lengths.has(id)) inA += len;
    let inB = 0;
    for (const [id, len] of sb.lengths) if (sa.lengths.has(id)) inB += len;
    shares.set(pairKey(a, b), Math.max(inA / sa.total, inB / sb.total));
  }
  return shares;
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
