import type { APIRoute } from 'astro';
import { errorResponse, handleAssistantPost } from '../../server/assistant/http';

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
    return errorResponse('INTERNAL');
  }
};
