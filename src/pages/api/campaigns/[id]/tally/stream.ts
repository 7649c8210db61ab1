import type { APIRoute } from 'astro';
import type { PublicTally } from '../../../../../lib/voting/tally';
import { errorResponse } from '../../../../../server/voting/http';
import { getPublicTally, subscribePublicTally } from '../../../../../server/voting/service';

export const prerender = false;

const HEARTBEAT_MS = 15_000;

/** Server-sent events for projectors: the current tally at once, then each change (≤ 2 per second). */
export const GET: APIRoute = async ({ params, request }) => {
  const campaignId = params.id ?? '';
  const first = await getPublicTally(campaignId);
  if (!first.ok) return errorResponse(first.code);

  const encoder = new TextEncoder();
  let stop = () => {};
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
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
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
