import type { APIRoute } from 'astro';
import { errorResponse, handleAssistantPost } from '~/server/assistant/http';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/**
 * POST { question, history } → the answer as JSON, or as server-sent events (sources, token,
 * done, error) when the client accepts text/event-stream. See src/server/assistant/http.ts.
 */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  try {
    return await handleAssistantPost(request, clientAddress);
  } catch (error) {
    console.error('assistant:', error);
    return errorResponse('INTERNAL_ERROR');
  }
};

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('POST');
