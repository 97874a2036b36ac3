/**
 * The demo plan: 四平市教育工作要点 — 35 numbered tasks in 7 chapters after seed 002, with the hard targets of
 * seed 001's “12881” three-year plan (学前三年毛入园率 ≥ 93%, 普惠性幼儿园覆盖率 ≥ 87%, 民办义务教育在校生占比
 * ≤ 5%, 新增学校 182 所, 研学实践 10 万人次). Offices are the bureau's 科室.
 */
export interface DemoTask {
  title: string;
  lead: string;
  co?: string[];
  /** Month-day of the deadline in the plan's year. */
  due: string;
  cycle: 'monthly' | 'quarterly' | 'milestone';
  target?: string;
  /** Responsible: the city bureau itself, or every county. */
  to: 'city' | 'counties';
  description?: string;
  milestones?: [string, string][];
}

export const DEMO_CHAPTERS: { title: string; tasks: DemoTask[] }[] = [
  {
    title: '全面加强党对教育工作的领导',
    tasks: [
      { title: '加强学习教育和宣传引导', lead: '宣传科', due: '12-31', cycle: 'quarterly', to: 'city' },
      {
        title: '夯实基层党组织建设根基',
        lead: '组织人事科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      { title: '锻造高素质干部队伍', lead: '组织人事科', due: '12-31', cycle: 'quarterly', to: 'city' },
      {
        title: '落实从严管党治党政治责任',
        lead: '办公室',
        co: ['组织人事科'],
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
    ],
  },
  {
    title: '统筹推进教育改革发展深度融合',
    tasks: [
      {
        title: '做好教育“十四五”规划编制工作',
        lead: '发展规划科',
        due: '06-30',
        cycle: 'milestone',
        to: 'city',
        milestones: [
          ['形成规划初稿', '03-31'],
          ['征求意见并报审', '05-31'],
        ],
      },
      {
        title: '深化大学区管理改革',
        lead: '基础教育科',
        due: '10-31',
        cycle: 'quarterly',
        to: 'counties',
        milestones: [['出台大学区实施方案', '04-30']],
      },
      { title: '夯实高考改革基础', lead: '高中教育科', due: '08-31', cycle: 'quarterly', to: 'counties' },
      {
        title: '推进中考招生改革',
        lead: '招生考试中心',
        co: ['基础教育科'],
        due: '07-31',
        cycle: 'milestone',
        to: 'counties',
        milestones: [
          ['印发中考招生规定', '03-31'],
          ['完成招生录取', '07-31'],
        ],
      },
      { title: '加强学生综合素质评价', lead: '基础教育科', due: '12-31', cycle: 'quarterly', to: 'counties' },
      {
        title: '完善教育督导体制机制',
        lead: '督导室',
        due: '11-30',
        cycle: 'quarterly',
        to: 'counties',
        milestones: [['完成县级政府履职评价自评', '09-30']],
      },
    ],
  },
  {
    title: '有效落实立德树人根本任务',
    tasks: [
      {
        title: '推进大中小学思政课一体化建设',
        lead: '德育科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      { title: '提高学校德育工作质量', lead: '德育科', due: '12-31', cycle: 'quarterly', to: 'counties' },
      {
        title: '强化素质教育探索实践（研学实践）',
        lead: '德育科',
        co: ['体卫艺科'],
        due: '12-31',
        cycle: 'monthly',
        to: 'counties',
        target: '研学实践参与10万人次',
      },
      { title: '加强学校体育美育工作', lead: '体卫艺科', due: '12-31', cycle: 'quarterly', to: 'counties' },
      {
        title: '提升课后服务水平',
        lead: '基础教育科',
        due: '12-31',
        cycle: 'monthly',
        to: 'counties',
        target: '课后服务覆盖率≥100%',
      },
      { title: '实施家校社协同育人', lead: '德育科', due: '12-31', cycle: 'quarterly', to: 'counties' },
    ],
  },
  {
    title: '积极推进各级各类教育协调发展',
    tasks: [
      {
        title: '促进学前教育公益普惠发展',
        description:
          '落实县（市）区政府主体责任，推动城镇小区配套幼儿园投入使用，普惠性幼儿园覆盖率达到87%以上。',
        lead: '基础教育科',
        due: '12-31',
        cycle: 'monthly',
        to: 'counties',
        target: '学前三年毛入园率≥93%',
      },
      {
        title: '推动义务教育优质均衡发展（新改扩建学校）',
        lead: '发展规划科',
        co: ['计划财务科'],
        due: '12-31',
        cycle: 'monthly',
        to: 'counties',
        target: '新增学校182所',
        milestones: [
          ['完成年度项目开工', '05-31'],
          ['主体工程完工', '10-31'],
        ],
      },
      {
        title: '拓展普通高中多样化发展路径',
        lead: '高中教育科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      {
        title: '提高职业教育服务振兴发展能力',
        lead: '职业与成人教育科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      {
        title: '提升民族教育和特殊教育发展水平',
        lead: '民族教育科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      {
        title: '规范发展民办教育',
        lead: '民办教育科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
        target: '民办义务教育在校生占比≤5%',
      },
      { title: '大力发展继续教育', lead: '职业与成人教育科', due: '12-31', cycle: 'quarterly', to: 'city' },
    ],
  },
  {
    title: '着力打造高素质专业化创新型教师队伍',
    tasks: [
      {
        title: '开展“五机制”“五评价”工作',
        lead: '教师工作科',
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      {
        title: '实施“名优教师培养工程”',
        lead: '教师工作科',
        due: '10-31',
        cycle: 'quarterly',
        to: 'counties',
      },
      {
        title: '保障教师安心、静心从教',
        lead: '计划财务科',
        co: ['教师工作科'],
        due: '12-31',
        cycle: 'quarterly',
        to: 'counties',
        target: '义务教育教师平均工资与公务员比≥100%',
      },
      {
        title: '推进“县管校聘”管理改革',
        lead: '组织人事科',
        due: '09-30',
        cycle: 'quarterly',
        to: 'counties',
      },
    ],
  },
  {
    title: '不断提升教研、科研工作水平',
    tasks: [
      { title: '强化教研引领功能', lead: '教研室', due: '12-31', cycle: 'quarterly', to: 'counties' },
      { title: '发挥科研先导作用', lead: '教育科学研究所', due: '12-31', cycle: 'quarterly', to: 'city' },
      {
        title: '做好语言文字工作',
        lead: '语言文字工作办公室',
        due: '10-31',
        cycle: 'quarterly',
        to: 'counties',
      },
    ],
  },
  {
    title: '进一步夯实教育高质量发展基础',
    tasks: [
      { title: '提高教育法治工作水平', lead: '政策法规科', due: '12-31', cycle: 'quarterly', to: 'counties' },
      {
        title: '推进教育信息化建设',
        lead: '电教信息中心',
        due: '12-31',
        cycle: 'monthly',
        to: 'counties',
        target: '中小学宽带接入率≥100%',
      },
      { title: '加强教育经费使用管理', lead: '计划财务科', due: '12-31', cycle: 'quarterly', to: 'counties' },
      { title: '抓好常态化疫情防控', lead: '体卫艺科', due: '12-31', cycle: 'quarterly', to: 'counties' },
      {
        title: '维护教育系统和谐稳定',
        lead: '安全稳定科',
        co: ['办公室'],
        due: '12-31',
        cycle: 'monthly',
        to: 'counties',
      },
    ],
  },
];

export const REPORT_TEXTS = [
  '按计划推进，已召开专题会议部署，形成工作台账。',
  '已完成阶段性工作，相关材料已归档备查。',
  '组织开展专项检查，对发现的问题督促整改。',
  '结合实际制定细化方案，明确责任人和时间节点。',
  '召开推进会，通报进展，压实各校责任。',
];
