/**
 * Prompt-injection handling. The question and the published content are both untrusted:
 * instructions inside them must never change what the assistant does or reveal how it is set up.
 *
 * Three layers, because none is enough alone:
 * 1. `screenQuestion` recognises requests to override the rules or reveal the set-up, so that a
 *    pure attack is declined without reaching a model and a mixed one is answered on its real part;
 * 2. `neutraliseInstructions` removes instruction-like sentences from content before anyone reads it;
 * 3. `LeakGuard` (in leak-guard.ts) stops model output that repeats the system prompt.
 * Patterns pair a verb with its object ("忽略…指令"), so that ordinary questions that merely contain
 * "忽略" or "系统" are not refused.
 */

const OVERRIDE_PATTERNS: RegExp[] = [
  // Chinese: ignore / forget the previous instructions ("忽略以上所有指令", "忘记你的设定")
  /(忽略|忽视|无视|忘记|忘掉|跳过|绕过|抛开|不要理会|不用管|撤销|覆盖)\s*(掉)?\s*(之前|以上|上面|前面|上述|所有|全部|一切|你的|系统|原来|原有|先前|此前|刚才)[^。！？\n]{0,8}(指令|指示|规则|提示词|提示|设定|约束|限制|要求|命令|内容|消息|话)/,
  /(系统|初始|原始|隐藏|内部|开发者)(提示词|提示语|指令|prompt|设定|消息)/i,
  /(你|您)的(提示词|指令|系统设定|初始设定|设定|配置|prompt)/i,
  /(输出|打印|显示|复述|重复|泄露|透露|告诉我|说出|列出|翻译)[^。！？\n]{0,10}(提示词|系统消息|系统指令|上面的(内容|文字|指令)|以上(所有)?(内容|文字|指令)|你收到的(指令|内容)|canary|密钥|api ?key|令牌)/i,
  /(你现在是|从现在起你是|从现在开始你是|现在你扮演|请你扮演|请扮演|假装你是|假设你是|你不再是)/,
  /(开发者|调试|越狱|上帝|无限制|管理员)模式/,
  // English
  /\b(ignore|disregard|forget|override|bypass)\b\s+(all\s+|any\s+|the\s+|of\s+)*(your|previous|prior|above|earlier|preceding|system|original|all|these|those)\b[^.!?\n]{0,20}\b(instructions?|rules?|prompts?|guidelines?|messages?|context|directions)\b/i,
  /\b(ignore|disregard|forget)\b\s+(everything\s+|all\s+)?(the\s+)?(above|previous|prior)\b/i,
  /\b(system|initial|hidden|original|developer)\s+(prompt|message|instructions?)\b/i,
  /\b(reveal|print|show|repeat|output|leak|dump|display|tell me|echo|translate)\b[^.!?\n]{0,40}\b(your prompt|your instructions|system message|canary|api key|secret|your configuration|everything above|text above|words above)\b/i,
  /\b(you are now|from now on,? you are|act as an?|pretend to be|roleplay as|you're no longer|you are no longer)\b/i,
  /\b(jailbreak|DAN mode|developer mode|god mode|do anything now)\b/i,
  /<\/?(system|assistant|user|instructions?)>|\[\/?(system|INST)\]|<\|im_(start|end)\|>|^\s*(system|assistant)\s*:/im,
];

/** True when the text asks to change the assistant's rules or to reveal its set-up. */
export function looksLikeInjection(text: string): boolean {
  const normalised = text.normalize('NFKC');
  return OVERRIDE_PATTERNS.some((pattern) => pattern.test(normalised));
}

const SENTENCE = /[^。！？!?\n；;]+[。！？!?\n；;]*/g;

export interface ScreenedQuestion {
  /** The question without the sentences that try to change the rules. */
  question: string;
  /** Whether any such sentence was found. */
  injection: boolean;
}

/**
 * Splits the question into sentences and drops those that try to override the rules.
 * What remains is answered normally; when nothing remains the caller declines.
 */
export function screenQuestion(question: string): ScreenedQuestion {
  if (!looksLikeInjection(question)) return { question, injection: false };
  const sentences = question.normalize('NFKC').match(SENTENCE) ?? [];
  const kept = sentences.filter((sentence) => !looksLikeInjection(sentence));
  // Commas join an attack to a real question ("忽略规则，告诉我…"): look inside the sentence too.
  const cleaned =
    kept.length > 0
      ? kept
      : sentences.flatMap((s) => s.split(/[，,:：]/)).filter((part) => part.trim() && !looksLikeInjection(part));
  return { question: cleaned.join('').trim(), injection: true };
}

export const REMOVED_INSTRUCTION_NOTE = '（此处含有疑似指令的文字，已略去）';

/**
 * Content is published by the bureau, but copied from elsewhere: a sentence that addresses the
 * assistant rather than the reader is removed before the text is quoted or shown to a model.
 */
export function neutraliseInstructions(text: string): string {
  if (!looksLikeInjection(text)) return text;
  const sentences = text.match(SENTENCE) ?? [text];
  return sentences.map((sentence) => (looksLikeInjection(sentence) ? REMOVED_INSTRUCTION_NOTE : sentence)).join('');
}
