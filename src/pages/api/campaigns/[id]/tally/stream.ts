import type { APIRoute } from 'astro';
import type { PublicTally } from '~/lib/voting/tally';
import { clientAddressOf } from '~/server/http/client-address';
import { edgeError } from '~/server/http/json';
import { openStreams } from '~/server/http/open-streams';
import { errorResponse } from '~/server/voting/http';
import { getPublicTally, subscribePublicTally } from '~/server/voting/service';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for projectors: the current tally at once, then each change (≤ 2 per second).
 * Open streams are capped per client address and in total (SSE_STREAMS_*), and ended at shutdown.
 */
export const GET: APIRoute = async ({ params, request, clientAddress }) => {
  const campaignId = params.id ?? '';
  const first = await getPublicTally(campaignId);
  if (!first.ok) return errorResponse(first.code);
  const admission = openStreams.admit(clientAddressOf(request, clientAddress));
  if (!admission.ok) return edgeError('TOO_MANY_STREAMS', { 'retry-after': '30' });

  const encoder = new TextEncoder();
  // Until the stream has started, stopping only gives back the admission.
  let stop = () => admission.release();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const sendTally = (tally: PublicTally) => send(`event: tally\ndata: ${JSON.stringify(tally)}\n\n`);
      send('retry: 3000\n\n');
      sendTally(first.tally);
      const unsubscribe = await subscribePublicTally(campaignId, sendTally);
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
      const forget = openStreams.onShutdown(() => stop());
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        forget();
        admission.release();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener('abort', () => stop(), { once: true });
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
};

/** Any other method (HEAD too: a stream has no headers-only form): 405 METHOD_NOT_ALLOWED as JSON. */
export const ALL = methodNotAllowed('GET');
