/** The assistant's fixed wording, in one place so that the island, the API and the tests agree. */
export const AI_LABEL = '内容由人工智能生成，仅供参考';
export const BUILTIN_LABEL = '本回答摘自本站公开信息，未经人工智能改写';
export const MODEL_UNAVAILABLE_NOTICE = '模型服务暂时不可用，以下为站内检索答案';
export const LEAK_NOTICE = '模型的回答未通过安全检查，以下为站内检索答案';
export const MODEL_RATE_NOTICE = '提问较频繁，本次未调用模型，以下为站内检索答案';

export const WHERE_TO_ASK = '如需进一步确认，可拨打 12315 消费者投诉举报专线，或向当地市场监督管理局咨询。';

export const NOT_FOUND_ANSWER = [
  '本站公开的抽查结果、不合格项目解读、召回和抽查计划中，没有找到能回答这个问题的内容。我不会猜测或编造召回、品牌或检测结果。',
  '',
  '您可以：',
  '- 拨打 12315 消费者投诉举报专线咨询；',
  '- 向当地市场监督管理局咨询；',
  '- 换个说法再问，例如写上产品名称、品牌或型号；也可以用[站内搜索](/search/)查找。',
].join('\n');

export const OFF_TOPIC_ANSWER = [
  '抱歉，这个问题超出了本助手的范围。我只根据本站公开的产品质量抽查结果、不合格项目解读、缺陷产品召回和抽查计划回答问题。',
  '',
  '您可以这样问：“儿童头盔有被召回的吗”“甲醛含量不合格是什么意思”“买电动车充电器要注意什么”。',
].join('\n');

export const INJECTION_ANSWER = [
  '我不能更改回答规则，也不会透露系统设置。',
  '',
  '我只根据本站公开内容回答产品质量抽查、不合格项目解读和召回方面的问题，例如：“甲醛含量不合格是什么意思”。',
].join('\n');

export const INJECTION_NOTE = '（问题中要求改变回答规则的内容已被忽略。）';

export const SAMPLE_QUESTIONS = [
  '我家孩子的头盔被召回了吗',
  '甲醛含量不合格是什么意思',
  '买电动车充电器要注意什么',
  '格林牌电动自行车召回怎么处理',
  '移动电源抽查有哪些不合格',
  '2024 年青浦区抽查计划有哪些产品',
] as const;
