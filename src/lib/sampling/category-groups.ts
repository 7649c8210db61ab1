/**
 * Sources name product categories in their own words ("电线电缆" and "电线电缆（聚氯乙烯绝缘电线电缆）",
 * "儿童服装等19种纺织品"). Filters and statistics group them by keyword; the first rule that matches wins,
 * so the more specific groups come first. The original wording is always shown on the page.
 */
export const CATEGORY_GROUPS = [
  // Hard hats protect workers on sites, not children on bikes: a parent looking for 头盔 must not get them.
  { group: '安全帽', keywords: ['安全帽'] },
  { group: '头盔', keywords: ['头盔'] },
  { group: '电动自行车及配件', keywords: ['电动自行车', '电动车', '充电器', '蓄电池'] },
  { group: '电线电缆', keywords: ['电线', '电缆'] },
  { group: '插头插座', keywords: ['插头', '插座', '插线板', '转换器', '电器附件', '开关', '适配器'] },
  { group: '移动电源', keywords: ['移动电源', '充电宝'] },
  { group: '童鞋', keywords: ['童鞋', '鞋'] },
  {
    group: '儿童服装',
    keywords: ['童装', '儿童服装', '婴幼儿服装', '儿童及婴幼儿', '女童', '男童', '儿童卫衣', '儿童衬衫', '儿童肚兜'],
  },
  { group: '学生用品', keywords: ['学生用品', '文具', '笔', '橡皮', '书包', '学生背包', '校服', '学生服', '固体胶'] },
  {
    group: '玩具',
    keywords: ['玩具', '童车', '儿童用品', '游泳圈', '救生圈', '趴圈', '儿童平衡车', '儿童三轮车', '儿童自行车'],
  },
  {
    group: '纺织服装及家纺',
    keywords: [
      '纺织',
      '床上用品',
      '床品',
      '被',
      '毛巾',
      '面巾',
      '头巾',
      '围脖',
      '羊绒',
      '羊毛',
      '服装',
      '家居服',
      '卫衣',
      '衬衫',
      '连衣裙',
      '床垫',
    ],
  },
  {
    group: '家用电器',
    keywords: [
      '电器',
      '电热',
      '家电',
      '擦窗机',
      '洗碗机',
      '净化器',
      '电吹风',
      '护理器具',
      '晾衣架',
      '消毒柜',
      '取暖',
      '电暖',
      '水壶',
      '洗地机',
      '风扇',
      '电扇',
      '台扇',
      '加湿器',
      '按摩器',
      '电磁炉',
      '吸油烟机',
      '燃气灶',
    ],
  },
  // Not 「一次性」 alone: disposable masks are not food-contact products.
  { group: '食品相关产品', keywords: ['塑料杯', '食品', '餐具', '保温'] },
] as const;

export const OTHER_GROUP = '其他产品';
export const MIXED_GROUP = '多类产品综合';

export type CategoryGroup = (typeof CATEGORY_GROUPS)[number]['group'] | typeof OTHER_GROUP | typeof MIXED_GROUP;
type KeywordGroup = (typeof CATEGORY_GROUPS)[number]['group'];

/** "童车等60种产品", "20类": a round-up of many products. */
const COUNTED_PRODUCTS = /\d+\s*[种类]/;
const withoutBrackets = (text: string) => text.replace(/[（(][^）)]*[）)]/g, '');

function keywordGroup(
  text: string,
  keywordCounts: (keyword: string) => boolean = () => true,
): KeywordGroup | undefined {
  const lower = text.toLowerCase();
  return CATEGORY_GROUPS.find((rule) =>
    rule.keywords.some((keyword) => keywordCounts(keyword) && lower.includes(keyword.toLowerCase())),
  )?.group;
}

/**
 * The group a source's category wording belongs to. Wording that lists products of two or more groups
 * ("开关插座、移动电源", "儿童学生用品（玩具、童车、童鞋、运动头盔）") is a round-up: filing it under its
 * first keyword would put a 2,000-batch national report into one product's pass rate.
 */
export function categoryGroup(category: string): CategoryGroup {
  const known = groupOfWording.get(category);
  if (known) return known;
  const group = groupOfCategoryWording(category);
  // Wordings repeat across an archive; the bound keeps odd input from growing the memo without end.
  if (groupOfWording.size < WORDINGS_REMEMBERED) groupOfWording.set(category, group);
  return group;
}

/**
 * The keyword search behind the groups costs tens of microseconds per record, which a list, its
 * filters and the statistics repeat for every record of a 10,000-announcement archive on every
 * render: both are remembered, by wording and by record (the live catalogue keeps an unchanged
 * record the same object from one content version to the next).
 */
const WORDINGS_REMEMBERED = 50_000;
const groupOfWording = new Map<string, CategoryGroup>();
const groupsOfRecord = new WeakMap<GroupedRecord, CategoryGroup[]>();

function groupOfCategoryWording(category: string): CategoryGroup {
  if (COUNTED_PRODUCTS.test(category)) return MIXED_GROUP;
  const listed = category
    .split(/[、，,（）()]/)
    .map((part) => part.trim())
    .filter(Boolean);
  const listedGroups = new Set(listed.map((part) => keywordGroup(part)).filter((group) => group !== undefined));
  if (listedGroups.size >= 2) return MIXED_GROUP;
  // The main wording decides; bracketed sub-items only help when it names no group ("电源适配器（插线板）").
  return keywordGroup(withoutBrackets(category)) ?? keywordGroup(category) ?? OTHER_GROUP;
}

/** What the groups of an announcement are read from: its category wording, its title and its failed products. */
export interface GroupedRecord {
  category: string;
  title: string;
  failedProducts: readonly { productName: string }[];
}

/** Where a list of products splits: 「开关插座、移动电源」, 「玩具和纸尿裤」, 「儿童及婴幼儿服装」. */
const LIST_SEPARATORS = /[、，,；;（）()\s和及]/;

/**
 * A headline is prose: single-character keywords (被, 鞋, 笔) match words that name no product there
 * (「电吹风被召回」), so only keywords of two or more characters count in it.
 */
const headlineKeyword = (keyword: string) => keyword.length >= 2;

function listedGroups(text: string, keywordCounts: (keyword: string) => boolean = () => true): KeywordGroup[] {
  return text
    .split(LIST_SEPARATORS)
    .map((part) => keywordGroup(part, keywordCounts))
    .filter((group) => group !== undefined);
}

/**
 * Every group an announcement covers, for filters: a notice on 「开关插座、移动电源」 belongs to 插头插座
 * AND 移动电源, and a round-up also to 多类产品综合. Each listed product, each failed product and each product
 * named in the title adds its group; a record that names none stays 其他产品. Statistics keep one group per
 * announcement (`categoryGroup`), because the batch counts are the whole announcement's.
 */
export function categoryGroupsOf(record: GroupedRecord): CategoryGroup[] {
  let groups = groupsOfRecord.get(record);
  if (!groups) {
    groups = groupsOfRecordWording(record);
    groupsOfRecord.set(record, groups);
  }
  return groups;
}

function groupsOfRecordWording(record: GroupedRecord): CategoryGroup[] {
  const found = new Set<CategoryGroup>([
    categoryGroup(record.category),
    ...listedGroups(record.category),
    ...record.failedProducts.flatMap((product) => listedGroups(product.productName)),
    ...listedGroups(record.title, headlineKeyword),
  ]);
  if (found.size > 1) found.delete(OTHER_GROUP);
  return ALL_CATEGORY_GROUPS.filter((group) => found.has(group));
}

/**
 * The group of a recalled product, as a one-item list for the filters. The product wording carries model
 * numbers and production dates in brackets (「（2008年7月8日生产）」), so the main wording decides and the
 * brackets only help when it names no group. The title is not read: it starts with the company's name
 * (「松下电器（中国）有限公司召回…」), and a shared news headline names the other products of the story.
 */
export function recallCategoryGroups(recall: { product: string }): CategoryGroup[] {
  return [keywordGroup(withoutBrackets(recall.product)) ?? keywordGroup(recall.product) ?? OTHER_GROUP];
}

/** All groups in display order, the catch-alls last. */
export const ALL_CATEGORY_GROUPS: readonly CategoryGroup[] = [
  ...CATEGORY_GROUPS.map((rule) => rule.group),
  MIXED_GROUP,
  OTHER_GROUP,
];
