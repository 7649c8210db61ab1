/**
 * Sources name product categories in their own words ("电线电缆" and "电线电缆（聚氯乙烯绝缘电线电缆）",
 * "儿童服装等19种纺织品"). Filters and statistics group them by keyword; the first rule that matches wins,
 * so the more specific groups come first. The original wording is always shown on the page.
 */
export const CATEGORY_GROUPS = [
  { group: '头盔', keywords: ['头盔', '安全帽'] },
  { group: '电动自行车及配件', keywords: ['电动自行车', '电动车', '充电器', '蓄电池'] },
  { group: '电线电缆', keywords: ['电线', '电缆'] },
  { group: '插头插座', keywords: ['插头', '插座', '插线板', '转换器', '电器附件', '开关'] },
  { group: '移动电源', keywords: ['移动电源', '充电宝'] },
  { group: '童鞋', keywords: ['童鞋', '鞋'] },
  { group: '儿童服装', keywords: ['童装', '儿童服装', '婴幼儿服装', '儿童及婴幼儿', 'cosplay'] },
  { group: '学生用品', keywords: ['学生用品', '文具', '笔', '橡皮', '书包', '校服'] },
  { group: '玩具', keywords: ['玩具', '童车', '儿童用品', '游泳圈', '救生圈'] },
  {
    group: '纺织品及家纺',
    keywords: ['纺织', '床上用品', '床品', '被', '毛巾', '面巾', '羊绒', '羊毛', '服装', '家居服', '床垫'],
  },
  {
    group: '家用电器',
    keywords: ['电器', '电热', '家电', '擦窗机', '洗碗机', '净化器', '电吹风', '护理器具', '晾衣架', '消毒柜', '取暖', '电暖', '水壶'],
  },
  { group: '食品相关产品', keywords: ['塑料杯', '食品', '餐具', '保温', '一次性'] },
] as const;

export const OTHER_GROUP = '其他产品';
export const MIXED_GROUP = '多类产品综合';

/** National round-ups name many products ("童车等60种产品", "A、B、C、D"): grouping them under one would mislead. */
const MIXED_COUNT = /\d+\s*[种类]/;
const MIXED_LIST = /(?:[^、]+、){3,}/;
const withoutBrackets = (text: string) => text.replace(/[（(][^）)]*[）)]/g, '');

export type CategoryGroup = (typeof CATEGORY_GROUPS)[number]['group'] | typeof OTHER_GROUP | typeof MIXED_GROUP;

/** The group a source's category wording belongs to. */
export function categoryGroup(category: string): CategoryGroup {
  if (MIXED_COUNT.test(category) || MIXED_LIST.test(withoutBrackets(category))) return MIXED_GROUP;
  // Bracketed sub-items ("学生用品（固体胶、橡皮擦）") describe the main category, not the group.
  const lower = withoutBrackets(category).toLowerCase() || category.toLowerCase();
  for (const rule of CATEGORY_GROUPS) {
    if (rule.keywords.some((keyword) => lower.includes(keyword.toLowerCase()))) return rule.group;
  }
  return OTHER_GROUP;
}

/** All groups in display order, the catch-alls last. */
export const ALL_CATEGORY_GROUPS: readonly CategoryGroup[] = [
  ...CATEGORY_GROUPS.map((rule) => rule.group),
  MIXED_GROUP,
  OTHER_GROUP,
];
