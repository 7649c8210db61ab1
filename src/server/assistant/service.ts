/**
 * Answering one question: built-in, or with a model when one is configured, falling back to the
 * built-in answer on any failure. Free of astro:* so that the evaluation runs exactly this code.
 */
import { StreamingCitationFilter } from '~/lib/assistant/citations';
import { LeakGuard, leakHoldBack } from '~/lib/assistant/leak-guard';
import { AI_LABEL, LEAK_NOTICE, MODEL_UNAVAILABLE_NOTICE } from '~/lib/assistant/messages';
import { prepareQuestion, type PrepareOptions, type PreparedQuestion } from '~/lib/assistant/prepare';
import { buildMessages, numberPassages, systemPrompt } from '~/lib/assistant/prompt';
import { renderAnswerHtml } from '~/lib/assistant/render';
import type { AssistantIndex } from '~/lib/assistant/search-index';
import { sourceTitle } from '~/lib/assistant/sources';
import type { AnswerSource } from '~/lib/assistant/sources';
import type { AssistantAnswer, ChatTurn, Passage } from '~/lib/assistant/types';
import type { BoundedQueue } from '~/lib/assistant/limits';
import type { ModelClient } from './model';

export interface FinalAnswer extends AssistantAnswer {
  html: string;
  sourceKeys: string[];
}

export type AssistantEvent =
  | { event: 'sources'; data: { sources: AnswerSource[] } }
  | { event: 'token'; data: { text: string } }
  | { event: 'done'; data: FinalAnswer };

export interface AssistantServiceOptions {
  /** The index to answer from, read on every question (the published content changes while the service runs). */
  index: () => AssistantIndex;
  model: ModelClient | null;
  queue: BoundedQueue;
  siteName: string;
  siteOrigin: string;
  /** A secret planted in the system prompt; the evaluation uses it to prove nothing leaks. */
  canary?: string;
  prepare?: PrepareOptions;
}

/** Cited numbers in the text become links to their sources. */
function linkCitations(markdown: string, sources: readonly AnswerSource[]): string {
  return markdown.replace(/\[(\d{1,3})\](?!\()/g, (match, n: string) => {
    const source = sources[Number(n) - 1];
    return source ? `[\\[${n}\\]](${source.url})` : match;
  });
}

function finish(answer: AssistantAnswer & { sourceKeys: string[] }): FinalAnswer {
  const withLabel = `${answer.notice ? `${answer.notice}。\n\n` : ''}${answer.answer}\n\n*${answer.label}*`;
  return { ...answer, answer: withLabel, html: renderAnswerHtml(linkCitations(withLabel, answer.sources)) };
}

function distinctPagePassages(prepared: Extract<PreparedQuestion, { kind: 'retrieved' }>): Passage[] {
  return prepared.retrieval.hits.map((hit) => hit.passage);
}

export interface RunOptions {
  /** Give the built-in answer with this notice without calling the model (its ration is spent). */
  builtinNotice?: string;
}

export class AssistantService {
  constructor(private readonly options: AssistantServiceOptions) {}

  get hasModel(): boolean {
    return this.options.model !== null;
  }

  /** Decides how to answer; `pageUrl` is the page the question was asked on, whose content weighs in. */
  prepare(question: string, history: readonly ChatTurn[], pageUrl?: string): PreparedQuestion {
    return prepareQuestion(this.options.index(), question, history, {
      ...this.options.prepare,
      ...(pageUrl ? { pageUrl } : {}),
    });
  }

  /** Whether this prepared question will be sent to a model (and so needs a queue slot). */
  needsModel(prepared: PreparedQuestion): boolean {
    return prepared.kind === 'retrieved' && this.options.model !== null;
  }

  acquireModelSlot(signal?: AbortSignal) {
    return this.options.queue.acquire(signal);
  }

  builtinFinal(prepared: PreparedQuestion, notice?: string): FinalAnswer {
    const b = prepared.builtin;
    return finish({
      answer: b.answer,
      sources: b.sources,
      sourceKeys: b.sourceKeys,
      mode: 'builtin',
      outcome: b.outcome,
      label: b.label,
      ...(notice ? { notice } : {}),
    });
  }

  /**
   * Answers a prepared question, reporting progress through `emit`. Returns the final answer,
   * or null when the caller went away (the stream was cancelled) before it was complete.
   */
  async run(
    prepared: PreparedQuestion,
    history: readonly ChatTurn[],
    emit: (event: AssistantEvent) => void,
    signal: AbortSignal,
    { builtinNotice }: RunOptions = {},
  ): Promise<FinalAnswer | null> {
    const model = this.options.model;
    if (prepared.kind === 'final' || !model || builtinNotice) {
      const final = this.builtinFinal(prepared, builtinNotice);
      emit({ event: 'sources', data: { sources: final.sources } });
      emit({ event: 'token', data: { text: final.answer } });
      emit({ event: 'done', data: final });
      return final;
    }
    const passages = numberPassages(distinctPagePassages(prepared));
    const promptOptions = {
      siteName: this.options.siteName,
      ...(this.options.canary ? { canary: this.options.canary } : {}),
    };
    const guard = new LeakGuard(systemPrompt(promptOptions), this.options.canary ? [this.options.canary] : []);
    const filter = new StreamingCitationFilter({ passages, siteOrigin: this.options.siteOrigin }, (raw) =>
      leakHoldBack(raw, guard),
    );
    const provisional = [...new Map(passages.map(({ passage }) => [passage.page.key, passage.page])).values()];
    emit({
      event: 'sources',
      data: { sources: provisional.map((page) => ({ title: sourceTitle(page), url: page.url })) },
    });

    const fallback = (notice: string) => {
      const final = this.builtinFinal(prepared, notice);
      emit({ event: 'done', data: final });
      return final;
    };
    const messages = buildMessages({ ...promptOptions, question: prepared.question, history, passages });
    try {
      for await (const token of model.stream(messages, signal)) {
        const delta = filter.push(token);
        if (guard.leaks(filter.rawText)) return fallback(LEAK_NOTICE);
        if (delta) emit({ event: 'token', data: { text: delta } });
      }
    } catch {
      if (signal.aborted) return null;
      return fallback(MODEL_UNAVAILABLE_NOTICE);
    }
    if (guard.leaks(filter.rawText)) return fallback(LEAK_NOTICE);
    const filtered = filter.finish();
    if (!filtered.text.trim()) return fallback(MODEL_UNAVAILABLE_NOTICE);
    const cited = filtered.sources.length > 0;
    const final = finish({
      answer: filtered.text.trim(),
      sources: cited ? filtered.sources : provisional.map((page) => ({ title: sourceTitle(page), url: page.url })),
      sourceKeys: cited ? filtered.sourceKeys : provisional.map((page) => page.key),
      mode: 'model',
      outcome: 'answered',
      label: AI_LABEL,
    });
    emit({ event: 'done', data: final });
    return final;
  }
}
