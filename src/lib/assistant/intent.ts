/**
 * What a question asks for, judged from its wording: the kind of page that answers it best,
 * and whether it is outside what this assistant may answer at all.
 */
import type { QuestionIntent } from './search-index';

const INTENT_PATTERNS: [QuestionIntent, RegExp][] = [
  ['recall', /召回|recall/i],
  [
    'meaning',
    /什么意思|是什么|啥意思|指什么|意味着|有什么(危害|影响|风险)|危害|为什么(会|要)?不合格|怎么回事|含义|what does .* mean/i,
  ],
  ['advice', /注意|怎么(选|挑|买)|如何(选|挑|买|辨别|识别)|选购|挑选|建议|提示|辨别|识别|安全吗|能(不能)?(用|穿|买)/],
  ['plan', /计划|什么时候(抽|查|检)|哪个季度|今年(抽|查)|要抽查哪些/],
  ['campaign', /你点我(查|检)|投票|点题|征集|其他(地方|城市)/],
  ['result', /不合格|抽查|抽检|检测|检验|结果|上榜|质量(问题|怎么样)|合格吗|批次|公告/],
];

export function detectIntent(question: string): QuestionIntent {
  for (const [intent, pattern] of INTENT_PATTERNS) if (pattern.test(question)) return intent;
  return 'general';
}

/**
 * Requests this portal has no business answering. Matched on the request itself, so
 * "写一首关于头盔的诗" is declined although it names a product, and "充电器代码" is not.
 */
const OFF_TOPIC_PATTERNS: RegExp[] = [
  /天气|气温|下雨|下雪|空气质量指数|weather/i,
  /(写|作|来|创作|编)(一|几)?(首|篇|段|个)?[^，。？]{0,10}(诗|词|歌词|对联|作文|小说|故事|文章|段子|笑话|情书|演讲稿)|讲(个|一个)?笑话|poem|haiku|write (me )?a (story|song|joke)/i,
  /(写|编写|生成|调试|改)[^，。？]{0,8}(代码|程序|脚本|函数|sql|正则)|\b(python|javascript|typescript|java|c\+\+|golang|rust|html|css)\b|编程|写个?网站|write (some )?code|coding/i,
  /股票|股价|炒股|基金|理财|彩票|比特币|加密货币|期货|涨停|大盘|stock tips?|crypto|bitcoin|lottery/i,
  /翻译(成|为)|translate (this|into|to)/i,
  /菜谱|怎么做菜|星座|算命|运势|风水|解梦|电影推荐|推荐(一部|几部)?电影|歌曲推荐|明星|八卦|游戏攻略/,
  /(总统|主席|选举|政党|战争|外交)[^，。？]{0,10}(看法|评价|怎么看)/,
];

export function isOffTopic(question: string): boolean {
  return OFF_TOPIC_PATTERNS.some((pattern) => pattern.test(question));
}

/** Words that place a question within this portal's subject even when nothing is found. */
const DOMAIN_WORDS =
  /召回|抽查|抽检|不合格|合格|质量|产品|检测|检验|标准|安全|缺陷|投诉|举报|12315|品牌|型号|厂家|公司|生产|解读|含量|超标|计划|你点我|投票|市场监督|市场监管|质监|商品|买|购|用品|玩具|服装|电器|充电|头盔|电动|儿童|婴|危害|隐患|退货|更换|维修|赔偿|牌|有没有问题|奶粉|食品|家电|电线|插座/;

export function isWithinDomain(question: string): boolean {
  return DOMAIN_WORDS.test(question);
}
