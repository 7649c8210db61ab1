/**
 * The no-JavaScript form of the chat posts `q` (and the page it sits on) to /assistant/: free text
 * never travels in a URL, where proxies, logs and browser history would keep it. Read here with a
 * byte bound, so that the page does bounded work whatever is posted.
 */
import { z } from 'zod';
import { ERROR_MESSAGES, LIMITS } from '~/lib/assistant/request';

/** A question of 500 characters, percent-encoded as UTF-8, plus the page path, fits with room to spare. */
const MAX_FORM_BYTES = 16_000;

const formSchema = z.object({
  q: z.string(),
  page: z.string().max(LIMITS.pageChars).optional(),
});

export type AssistantForm = { question: string; page?: string } | { error: string };

async function readBounded(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return null;
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** The question of a posted form, or the Chinese message that says what is wrong with it. */
export async function readAssistantForm(request: Request): Promise<AssistantForm> {
  if (!(request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return { error: ERROR_MESSAGES.INVALID_REQUEST };
  }
  const body = await readBounded(request, MAX_FORM_BYTES);
  if (!body) return { error: ERROR_MESSAGES.QUESTION_TOO_LONG };
  const params = new URLSearchParams(new TextDecoder().decode(body));
  const parsed = formSchema.safeParse({ q: params.get('q') ?? undefined, page: params.get('page') || undefined });
  if (!parsed.success) return { error: ERROR_MESSAGES.INVALID_REQUEST };
  return { question: parsed.data.q, ...(parsed.data.page ? { page: parsed.data.page } : {}) };
}
