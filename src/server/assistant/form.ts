/**
 * The no-JavaScript form of the chat posts `q` (and the page it sits on) to /assistant/: free text
 * never travels in a URL, where proxies, logs and browser history would keep it. Read here with a
 * byte bound (the edge's one streamed reader), so that the page does bounded work whatever is posted.
 */
import { z } from 'zod';
import { ERROR_MESSAGES, LIMITS } from '~/lib/assistant/request';
import { readFormWithLimit } from '~/server/http/body';

/** A question of 500 characters, percent-encoded as UTF-8, plus the page path, fits with room to spare. */
const MAX_FORM_BYTES = 16_000;

const formSchema = z.object({
  q: z.string(),
  page: z.string().max(LIMITS.pageChars).optional(),
});

export type AssistantForm = { question: string; page?: string } | { error: string };

/** The question of a posted form, or the Chinese message that says what is wrong with it. */
export async function readAssistantForm(request: Request): Promise<AssistantForm> {
  const read = await readFormWithLimit(request, MAX_FORM_BYTES);
  if (!read.ok) {
    return {
      error: read.code === 'PAYLOAD_TOO_LARGE' ? ERROR_MESSAGES.QUESTION_TOO_LONG : ERROR_MESSAGES.INVALID_REQUEST,
    };
  }
  const parsed = formSchema.safeParse({ q: read.form.get('q') ?? undefined, page: read.form.get('page') || undefined });
  if (!parsed.success) return { error: ERROR_MESSAGES.INVALID_REQUEST };
  return { question: parsed.data.q, ...(parsed.data.page ? { page: parsed.data.page } : {}) };
}
