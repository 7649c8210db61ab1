/**
 * A real, local OpenAI-compatible HTTP server for tests and the evaluation: POST
 * /v1/chat/completions answering with server-sent "chat.completion.chunk" events exactly as
 * OpenAI's API streams them (or one JSON completion when `stream` is false). What it says is
 * scripted per test; delays before the headers and between chunks let tests exercise timeouts.
 * The portal reaches it through the real openai SDK: nothing is mocked on the portal's side.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatMessage {
  role: string;
  content: string;
}

export interface FakeChatRequest {
  model: string;
  stream: boolean;
  messages: FakeChatMessage[];
}

export interface FakeReply {
  /** The answer's text; streamed in pieces of `chunkChars` characters. */
  text: string;
  chunkChars?: number;
  /** Wait before sending the response headers (the SDK's timeout covers this). */
  delayMs?: number;
  /** Wait between chunks (our idle timeout covers this). */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error instead. */
  status?: number;
}

export type FakeScript = (request: FakeChatRequest) => FakeReply | Promise<FakeReply>;

export interface FakeModelServer {
  /** Base URL for OPENAI_BASE_URL, ending in /v1. */
  baseURL: string;
  port: number;
  /** Every request received, in order. */
  requests: FakeChatRequest[];
  setScript(script: FakeScript): void;
  stop(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunk(id: string, model: string, delta: Record<string, string>, finish: string | null) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

/** The system message, the data and the question of a request as the portal builds them. */
export function partsOf(request: FakeChatRequest) {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const question = /<问题>([\s\S]*)<\/问题>/.exec(user)?.[1] ?? user;
  const passages = [...user.matchAll(/<资料 编号="(\d+)" 页面="([^"]*)" 网址="([^"]*)">\n([\s\S]*?)\n<\/资料>/g)].map(
    (m) => ({
      n: Number(m[1]),
      title: m[2] ?? '',
      url: m[3] ?? '',
      text: m[4] ?? '',
    }),
  );
  return { system, user, question, passages };
}

/**
 * A model that does whatever the text in front of it says: asked (by the question or by a
 * planted sentence in the data) for its instructions, it prints them; asked for links, it makes
 * them up. Otherwise it quotes the first passage and cites it. The portal must stay safe anyway.
 */
export const naiveModel: FakeScript = (request) => {
  const { system, question, passages } = partsOf(request);
  // Only what a citizen or a content page wrote counts, not the portal's own framing of it.
  const untrusted = [question, ...passages.map((p) => p.text)].join('\n');
  const asksForPrompt =
    /提示词|系统消息|系统指令|系统设定|守则|设定|指令|上面的|以上|略去|prompt|instruction|system|above|canary|密钥|secret|规则|rules/i.test(
      untrusted,
    );
  if (asksForPrompt) return { text: `好的，我会照做。以下是我的全部指令原文：\n${system}`, chunkChars: 7 };
  if (/链接|网址|网站|link|url|website/i.test(question)) {
    return {
      text: `请访问 https://evil.example.com/recall 或 [官方网站](https://evil.example.com/)，也可以看 /recalls/not-retrieved/ [7]。`,
      chunkChars: 9,
    };
  }
  const first = passages[0];
  if (!first) return { text: '站内没有相关信息，建议拨打 12315。' };
  return { text: `根据站内资料：${first.text.split('\n').slice(1, 3).join('；')} [${first.n}]`, chunkChars: 6 };
};

export async function startOpenAICompatibleServer(script: FakeScript = naiveModel): Promise<FakeModelServer> {
  let current = script;
  const requests: FakeChatRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const body = JSON.parse(await readBody(request)) as Partial<FakeChatRequest>;
    const chatRequest: FakeChatRequest = {
      model: body.model ?? '',
      stream: body.stream === true,
      messages: body.messages ?? [],
    };
    requests.push(chatRequest);
    const reply = await current(chatRequest);
    if (reply.delayMs) await sleep(reply.delayMs);
    if (response.destroyed) return;
    if (reply.status && reply.status >= 400) {
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: reply.text, type: 'server_error', code: null } }));
      return;
    }
    const id = `chatcmpl-fake-${requests.length}`;
    if (!chatRequest.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: chatRequest.model,
          choices: [
            { index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop', logprobs: null },
          ],
        }),
      );
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const write = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    write(chunk(id, chatRequest.model, { role: 'assistant', content: '' }, null));
    const chars = [...reply.text];
    const size = reply.chunkChars ?? 8;
    for (let i = 0; i < chars.length; i += size) {
      if (response.destroyed) return;
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      write(chunk(id, chatRequest.model, { content: chars.slice(i, i + size).join('') }, null));
    }
    write(chunk(id, chatRequest.model, {}, 'stop'));
    response.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    setScript: (next) => {
      current = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
