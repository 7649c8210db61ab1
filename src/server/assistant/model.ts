/**
 * The model path: any OpenAI-compatible server through the openai SDK's Chat Completions with
 * streaming (the one API they all offer). The SDK's timeout covers waiting for the response to
 * start; a stalled stream is cut by our own idle timer between tokens.
 */
import OpenAI from 'openai';
import type { ChatMessage } from '~/lib/assistant/prompt';

export interface ModelClient {
  readonly model: string;
  /** Yields the answer's text as it arrives; throws on error, timeout or abort. */
  stream(messages: readonly ChatMessage[], signal: AbortSignal): AsyncGenerator<string>;
}

export interface ModelSettings {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

export class ModelTimeoutError extends Error {
  constructor() {
    super('model stream stalled');
  }
}

export function createModelClient(settings: ModelSettings): ModelClient {
  const client = new OpenAI({
    apiKey: settings.apiKey,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    // Interactive chat: the SDK defaults (10 minutes, 2 retries) would leave a citizen waiting.
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
  });
  return {
    model: settings.model,
    async *stream(messages, signal) {
      const controller = new AbortController();
      const abort = () => controller.abort();
      signal.addEventListener('abort', abort, { once: true });
      let stalled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          stalled = true;
          controller.abort();
        }, settings.timeoutMs);
      };
      try {
        const stream = await client.chat.completions.create(
          { model: settings.model, messages: [...messages], stream: true, temperature: 0.2 },
          { signal: controller.signal },
        );
        arm();
        for await (const chunk of stream) {
          arm();
          const text = chunk.choices[0]?.delta?.content;
          if (text) yield text;
        }
      } catch (error) {
        if (stalled) throw new ModelTimeoutError();
        throw error;
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
      }
    },
  };
}
