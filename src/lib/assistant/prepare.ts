/**
 * The decisions taken before anyone answers: decline what is off-topic or an attack, retrieve
 * what is asked, and have the built-in answer ready (as the answer, or as the fallback of a model).
 */
import { builtinAnswer, injectionAnswer, offTopicAnswer, type BuiltinAnswer } from './builtin';
import { isOffTopic, isWithinDomain } from './intent';
import { screenQuestion } from './injection';
import { retrieve, type Retrieval } from './retrieve';
import type { AssistantIndex } from './search-index';
import type { ChatTurn } from './types';

export type PreparedQuestion =
  /** Answered without retrieval results worth giving a model: declined, or nothing found. */
  | { kind: 'final'; builtin: BuiltinAnswer }
  | { kind: 'retrieved'; question: string; retrieval: Retrieval; builtin: BuiltinAnswer; injection: boolean };

export interface PrepareOptions {
  /** Screen the question for attempts to change the rules (the evaluation turns this off to test the output filter alone). */
  screenInput?: boolean;
  /** The path of the page the question was asked on, whose content weighs in retrieval. */
  pageUrl?: string;
}

export function prepareQuestion(
  index: AssistantIndex,
  rawQuestion: string,
  history: readonly ChatTurn[],
  { screenInput = true, pageUrl }: PrepareOptions = {},
): PreparedQuestion {
  const screened = screenInput ? screenQuestion(rawQuestion) : { question: rawQuestion, injection: false };
  const question = screened.question;
  if (screened.injection && !question.trim()) return { kind: 'final', builtin: injectionAnswer() };
  if (isOffTopic(question)) return { kind: 'final', builtin: offTopicAnswer() };
  const retrieval = retrieve(index, question, history, pageUrl);
  if (!retrieval.hits.length) {
    if (screened.injection) return { kind: 'final', builtin: injectionAnswer() };
    if (!isWithinDomain(question) && retrieval.topicWords.length === 0)
      return { kind: 'final', builtin: offTopicAnswer() };
    return { kind: 'final', builtin: builtinAnswer(index, { retrieval }) };
  }
  return {
    kind: 'retrieved',
    question,
    retrieval,
    builtin: builtinAnswer(index, { retrieval, injection: screened.injection }),
    injection: screened.injection,
  };
}
