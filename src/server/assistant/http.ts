/**
 * The HTTP side of the assistant: same-site check, body and limits, rate limits, the bounded
 * model queue, and the answer as JSON or as a server-sent event stream.
 */
import {
  AssistantRequestError,
  ERROR_STATUS,
  errorBody,
  parseAssistantRequest,
  type AssistantErrorCode,
} from '~/lib/assistant/request';
import { MODEL_RATE_NOTICE } from '~/lib/assistant/messages';
import type { TakeResult } from '~/lib/http/token-buckets';
import { CLOSE_CONNECTION, mediaType, readBodyWithLimit } from '~/server/http/body';
import { clientAddressOf } from '~/server/http/client-address';
import { crossSiteVerdict } from '~/server/http/cross-site';
import { errorJson, json } from '~/server/http/json';
import type { AssistantEvent, FinalAnswer } from './service';
import { assistantRuntime, type AssistantRuntime } from './runtime';

/** Room for the longest question and history the contract allows, even with every character JSON-escaped. */
const MAX_BODY_BYTES = 64 * 1024;
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function errorResponse(code: AssistantErrorCode, extraHeaders: Record<string, string> = {}): Response {
  return errorJson(code, errorBody(code).error.message, ERROR_STATUS[code], extraHeaders);
}

/** The public shape of an answer (the API contract, plus a few helpful fields). */
function publicAnswer(final: FinalAnswer) {
  return {
    answer: final.answer,
    sources: final.sources,
    mode: final.mode,
    label: final.label,
    outcome: final.outcome,
    html: final.html,
    ...(final.notice ? { notice: final.notice } : {}),
  };
}

function logAnswer(runtime: AssistantRuntime, question: string, final: FinalAnswer, startedAt: number) {
  runtime.log
    .write({
      question,
      mode: final.mode,
      outcome: final.outcome,
      sources: final.sources.map((s) => s.url),
      ...(final.notice ? { notice: final.notice } : {}),
      latencyMs: Math.round(performance.now() - startedAt),
    })
    .catch((error: unknown) => console.error('assistant log:', error));
}

/** Takes a token for any question from the address's generous bucket (built-in answers cost about a millisecond). */
export function takeQuestionToken(runtime: AssistantRuntime, request: Request, socketAddress: string): TakeResult {
  return runtime.anyQuestionBuckets.take(runtime.anonymise(`a:${clientAddressOf(request, socketAddress)}`));
}

/**
 * Takes a model call's token from the address's bucket and, when the client sent one, the device's
 * (both are spent, so neither can be used to skip the other); refused with the longer of the two waits.
 */
export function takeModelTokens(runtime: AssistantRuntime, request: Request, socketAddress: string): TakeResult {
  const address = clientAddressOf(request, socketAddress);
  const device = request.headers.get('x-assistant-device');
  const byAddress = runtime.addressBuckets.take(runtime.anonymise(`a:${address}`));
  const byDevice: TakeResult =
    device && DEVICE_ID.test(device) ? runtime.deviceBuckets.take(runtime.anonymise(`d:${device}`)) : { allowed: true };
  const waits = [byAddress, byDevice].flatMap((result) => (result.allowed ? [] : [result.retryAfterSeconds]));
  return waits.length === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(...waits) };
}

function sse(event: AssistantEvent['event'] | 'error', data: unknown): Uint8Array {
  return new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function handleAssistantPost(request: Request, socketAddress: string): Promise<Response> {
  const startedAt = performance.now();
  const runtime = await assistantRuntime();
  // The middleware has refused cross-site requests already; checked again here (same code) so the
  // route stays safe if it is ever reached another way.
  if (!crossSiteVerdict(request).allowed) return errorResponse('CROSS_SITE');

  if (mediaType(request) !== 'application/json') return errorResponse('UNSUPPORTED_MEDIA_TYPE');
  const read = await readBodyWithLimit(request, MAX_BODY_BYTES);
  if (!read.ok) return errorResponse(read.code, CLOSE_CONNECTION);
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch {
    return errorResponse('INVALID_JSON');
  }
  let parsed;
  try {
    parsed = parseAssistantRequest(body);
  } catch (error) {
    if (error instanceof AssistantRequestError) return errorResponse(error.code);
    throw error;
  }
  const rate = takeQuestionToken(runtime, request, socketAddress);
  if (!rate.allowed) return errorResponse('RATE_LIMITED', { 'retry-after': String(rate.retryAfterSeconds) });

  const { question, history, page } = parsed;
  const service = runtime.service;
  const prepared = service.prepare(question, history, page);
  // Only model calls are rationed per device and address; past the ration the built-in answer is given.
  const modelAllowed = service.needsModel(prepared) && takeModelTokens(runtime, request, socketAddress).allowed;
  const overModelRate = service.needsModel(prepared) && !modelAllowed;
  const release = modelAllowed ? await service.acquireModelSlot(request.signal) : () => undefined;
  if (!release) return errorResponse('BUSY', { 'retry-after': '10' });
  const runOptions = overModelRate ? { builtinNotice: MODEL_RATE_NOTICE } : {};

  const wantsStream = (request.headers.get('accept') ?? '').includes('text/event-stream');
  if (!wantsStream) {
    try {
      const final = await service.run(prepared, history, () => undefined, request.signal, runOptions);
      if (!final) return errorResponse('INTERNAL_ERROR');
      logAnswer(runtime, question, final, startedAt);
      return json(publicAnswer(final));
    } finally {
      release();
    }
  }

  const cancelled = new AbortController();
  request.signal.addEventListener('abort', () => cancelled.abort(), { once: true });
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: Uint8Array) => {
        if (!cancelled.signal.aborted) controller.enqueue(chunk);
      };
      try {
        const final = await service.run(
          prepared,
          history,
          (event) => send(sse(event.event, event.event === 'done' ? publicAnswer(event.data) : event.data)),
          cancelled.signal,
          runOptions,
        );
        if (final) logAnswer(runtime, question, final, startedAt);
      } catch (error) {
        console.error('assistant:', error);
        send(sse('error', errorBody('INTERNAL_ERROR').error));
      } finally {
        release();
        if (!cancelled.signal.aborted) controller.close();
      }
    },
    cancel() {
      cancelled.abort();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}

/** The built-in answer for the no-JavaScript form (POST /assistant/), asked on the page at `page`. */
export async function answerWithoutScript(
  question: string,
  page: string | undefined,
  request: Request,
  socketAddress: string,
): Promise<{ answer?: FinalAnswer; error?: string }> {
  const runtime = await assistantRuntime();
  let parsed;
  try {
    parsed = parseAssistantRequest({ question, history: [], ...(page ? { page } : {}) });
  } catch (error) {
    if (error instanceof AssistantRequestError) return { error: error.message };
    throw error;
  }
  if (!takeQuestionToken(runtime, request, socketAddress).allowed)
    return { error: errorBody('RATE_LIMITED').error.message };
  const startedAt = performance.now();
  const final = runtime.service.builtinFinal(runtime.service.prepare(parsed.question, [], parsed.page));
  logAnswer(runtime, parsed.question, final, startedAt);
  return { answer: final };
}
