/**
 * The assistant's chat. On the server it renders a plain POST form to /assistant/ that answers
 * without JavaScript (free text never goes into a URL); once hydrated it posts to /api/assistant and shows the answer as it
 * streams (server-sent events: sources, token, done, error). Streamed text is shown as plain
 * text; the final answer replaces it with HTML that the server has already sanitised.
 */
// First, before ~/lib/assistant/request builds its schemas: keeps zod from probing eval under the CSP.
import '~/lib/csp/zod-in-browser';
import { useEffect, useRef, useState } from 'preact/hooks';
import { paths } from '~/paths';
import { LIMITS, pagePathSchema, trimHistory } from '~/lib/assistant/request';

interface Source {
  title: string;
  url: string;
}

interface DonePayload {
  answer: string;
  html: string;
  sources: Source[];
  mode: 'builtin' | 'model';
  label: string;
  notice?: string;
}

interface Turn {
  id: number;
  role: 'user' | 'assistant';
  /** The question, or the answer's Markdown (used as history). */
  text: string;
  /** Sanitised HTML of a finished answer. */
  html?: string;
  sources?: Source[];
  mode?: 'builtin' | 'model';
  streaming?: boolean;
  stopped?: boolean;
  error?: string;
}

export interface AssistantProps {
  /** Sample questions shown as buttons. */
  samples?: readonly string[];
  /** Prefix of element ids, so that two chats on one page stay distinct. */
  idPrefix?: string;
  /** Smaller log for the panel on content pages. */
  compact?: boolean;
  /** Path of the page the chat sits on: its content weighs in the answers. */
  pagePath?: string;
}

const DEVICE_KEY = 'assistant-device';

/** A random id per browser for the per-device rate limit; the server only keeps a keyed hash of it. */
function deviceId(): string {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = crypto.randomUUID().replace(/-/g, '');
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return '';
  }
}

/** Splits a server-sent event stream into events as chunks arrive. */
function eventParser(onEvent: (event: string, data: unknown) => void) {
  let buffer = '';
  return (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(event, JSON.parse(data.join('\n')));
    }
  };
}

let nextId = 1;

export default function Assistant({ samples = [], idPrefix = 'assistant', compact = false, pagePath }: AssistantProps) {
  const page = pagePath && pagePathSchema.safeParse(pagePath).success ? pagePath : undefined;
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState('');
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  // Text typed before the chat came to life is kept, not wiped by the first render.
  useEffect(() => {
    const typed = input.current?.value;
    if (typed) setQuestion(typed);
  }, []);

  // A new question is brought to the top so that its answer is read from its start, not its end
  // (on a phone a long answer would otherwise show only its first or last line).
  useEffect(() => {
    const questions = log.current?.querySelectorAll<HTMLElement>('.assistant-question');
    questions?.[questions.length - 1]?.scrollIntoView({ block: 'start' });
  }, [turns.length]);

  const update = (id: number, change: Partial<Turn> | ((turn: Turn) => Partial<Turn>)) =>
    setTurns((all) =>
      all.map((turn) =>
        turn.id === id ? { ...turn, ...(typeof change === 'function' ? change(turn) : change) } : turn,
      ),
    );

  async function ask(text: string) {
    const trimmed = text.trim();
    if (!trimmed) {
      setFormError('请先输入您的问题。');
      input.current?.focus();
      return;
    }
    if ([...trimmed].length > LIMITS.questionChars) {
      setFormError(`问题太长了，请控制在 ${LIMITS.questionChars} 字以内。`);
      input.current?.focus();
      return;
    }
    if (busy) return;
    setFormError('');
    const history = trimHistory(
      turns.filter((t) => !t.error && !t.streaming && t.text).map((t) => ({ role: t.role, content: t.text })),
    );
    const answerId = nextId + 1;
    nextId += 2;
    setTurns((all) => [
      ...all,
      { id: answerId - 1, role: 'user', text: trimmed },
      { id: answerId, role: 'assistant', text: '', streaming: true },
    ]);
    setQuestion('');
    setBusy(true);
    const abort = new AbortController();
    controller.current = abort;
    try {
      const response = await fetch(paths.apiAssistant(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-assistant-device': deviceId() },
        body: JSON.stringify({ question: trimmed, history, ...(page ? { page } : {}) }),
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        update(answerId, { streaming: false, error: body?.error?.message ?? '服务暂时出现问题，请稍后再试。' });
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const feed = eventParser((event, data) => {
        if (event === 'sources') update(answerId, { sources: (data as { sources: Source[] }).sources });
        if (event === 'token') update(answerId, (turn) => ({ text: turn.text + (data as { text: string }).text }));
        if (event === 'done') {
          const done = data as DonePayload;
          update(answerId, {
            text: done.answer,
            html: done.html,
            sources: done.sources,
            mode: done.mode,
            streaming: false,
          });
        }
        if (event === 'error') update(answerId, { streaming: false, error: (data as { message: string }).message });
      });
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feed(value);
      }
      update(answerId, (turn) => (turn.streaming ? { streaming: false, error: '回答中断了，请重试。' } : {}));
    } catch {
      update(
        answerId,
        abort.signal.aborted
          ? { streaming: false, stopped: true }
          : { streaming: false, error: '网络连接出现问题，请稍后再试。' },
      );
    } finally {
      controller.current = null;
      setBusy(false);
    }
  }

  const onSubmit = (event: Event) => {
    event.preventDefault();
    void ask(question);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // Enter sends, Shift+Enter adds a line; never while an input method is composing Chinese.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void ask(question);
    }
  };

  const stop = () => controller.current?.abort();
  const restart = () => {
    stop();
    setTurns([]);
    setFormError('');
    input.current?.focus();
  };

  const inputId = `${idPrefix}-question`;
  const hintId = `${idPrefix}-hint`;
  const errorId = `${idPrefix}-error`;
  const count = [...question].length;

  return (
    <div class={`assistant${compact ? ' assistant-compact' : ''}`}>
      <div class="assistant-log" ref={log} role="log" aria-live="polite" aria-label="问答记录" aria-busy={busy}>
        {turns.length === 0 && (
          <p class="assistant-empty">您可以问抽查结果、不合格项目的意思和产品召回。回答只依据本站公开的内容。</p>
        )}
        {turns.map((turn) =>
          turn.role === 'user' ? (
            <div key={turn.id} class="assistant-turn assistant-question">
              <p class="visually-hidden">您问：</p>
              <p>{turn.text}</p>
            </div>
          ) : (
            <div key={turn.id} class="assistant-turn assistant-answer">
              <p class="visually-hidden">回答：</p>
              {turn.mode === 'model' && <p class="badge assistant-ai-label">人工智能生成</p>}
              {turn.html ? (
                <div class="assistant-answer-body" dangerouslySetInnerHTML={{ __html: turn.html }} />
              ) : (
                <p class="assistant-answer-body assistant-streaming">
                  {turn.text || (turn.streaming ? '正在查找站内资料…' : '')}
                </p>
              )}
              {turn.stopped && <p class="muted">（已停止）</p>}
              {turn.error && (
                <p class="error-message" role="alert">
                  {turn.error}
                </p>
              )}
              {turn.sources && turn.sources.length > 0 && (
                <div class="assistant-sources">
                  <p class="assistant-sources-title">来源</p>
                  <ol>
                    {turn.sources.map((source) => (
                      <li key={source.url}>
                        <a href={source.url}>{source.title}</a>
                      </li>
                    ))}
                  </ol>
                </div>
              )}
            </div>
          ),
        )}
      </div>

      {samples.length > 0 && (
        <div class="assistant-samples">
          <p class="assistant-samples-title" id={`${idPrefix}-samples`}>
            试试这样问：
          </p>
          <ul aria-labelledby={`${idPrefix}-samples`}>
            {samples.map((sample) => (
              <li key={sample}>
                <button type="button" class="button-secondary" disabled={busy} onClick={() => void ask(sample)}>
                  {sample}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <form class="assistant-form" method="post" action={paths.assistant()} onSubmit={onSubmit}>
        {page && <input type="hidden" name="page" value={page} />}
        <label for={inputId}>您的问题</label>
        <p class="field-hint" id={hintId}>
          {/* A phone's keyboard has no Shift+Enter: the key hint is hidden where there is no hover (touch screens). */}
          <span class="assistant-key-hint">按 Enter 发送，Shift+Enter 换行；</span>最多 {LIMITS.questionChars}{' '}
          字（已输入 {count} 字）。
        </p>
        {formError && (
          <p class="error-message" id={errorId} role="alert">
            {formError}
          </p>
        )}
        <textarea
          id={inputId}
          name="q"
          ref={input}
          rows={compact ? 2 : 3}
          maxLength={LIMITS.questionChars}
          value={question}
          aria-describedby={formError ? `${hintId} ${errorId}` : hintId}
          aria-invalid={formError ? true : undefined}
          onInput={(event) => setQuestion((event.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={onKeyDown}
        />
        <div class="assistant-actions">
          <button type="submit" disabled={busy}>
            发送
          </button>
          {busy && (
            <button type="button" class="button-secondary" onClick={stop}>
              停止
            </button>
          )}
          {turns.length > 0 && !busy && (
            <button type="button" class="button-secondary" onClick={restart}>
              新对话
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
