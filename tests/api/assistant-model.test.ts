/**
 * The model path on the real built server, talking through the real openai SDK to a real local
 * OpenAI-compatible server (tests/support/openai-compatible-server.ts) whose replies each test scripts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { partsOf, startOpenAICompatibleServer, type FakeModelServer } from '../support/openai-compatible-server';
import { startServer, type RunningServer } from '../support/server';
import type { Json } from '../support/json';

let model: FakeModelServer;
let portal: RunningServer;
const TIMEOUT_MS = 1200;

beforeAll(async () => {
  model = await startOpenAICompatibleServer();
  portal = await startServer({
    env: {
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: model.baseURL,
      ASSISTANT_MODEL: 'fake-model',
      ASSISTANT_TIMEOUT_MS: String(TIMEOUT_MS),
      ASSISTANT_MAX_RETRIES: '1',
      ASSISTANT_MAX_CONCURRENT: '1',
      ASSISTANT_QUEUE: '0',
      ASSISTANT_RATE_ADDRESS: '1000',
      ASSISTANT_RATE_DEVICE: '3',
    },
  });
});
afterAll(async () => {
  await portal?.stop();
  await model?.stop();
});

/** Reads a whole server-sent event stream into [event, data] pairs. */
async function readEvents(response: Response): Promise<[string, Json][]> {
  return (await response.text())
    .split('\n\n')
    .filter(Boolean)
    .map((block) => [/^event: (.*)$/m.exec(block)?.[1] ?? '', JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null')]);
}

const ask = (question: string, accept = 'text/event-stream') =>
  fetch(`${portal.url}/api/assistant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, origin: portal.url },
    body: JSON.stringify({
      question,
      history: [
        { role: 'user', content: '你好' },
        { role: 'assistant', content: '您好' },
      ],
    }),
  });

describe('model answers', () => {
  test('stream token by token from the model, labelled as AI-generated, citing retrieved pages', async () => {
    model.setScript((request) => {
      const { passages } = partsOf(request);
      return {
        text: `格林牌电动自行车已被召回，处理办法是联系经销商免费更换充电线路 [${passages[0]!.n}]。`,
        chunkChars: 4,
      };
    });
    const events = await readEvents(await ask('格林牌电动自行车召回了吗'));
    const tokens = events.filter(([event]) => event === 'token');
    expect(tokens.length).toBeGreaterThan(3);
    const done = events.at(-1)![1];
    expect(events.at(-1)![0]).toBe('done');
    expect(done.mode).toBe('model');
    expect(done.answer).toContain('内容由人工智能生成，仅供参考');
    expect(done.answer).toContain('[1]');
    expect(done.sources).toEqual([
      {
        title: '无锡宝岛车业科技有限公司召回格林牌TDT047Z电动自行车',
        url: '/recalls/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian/',
      },
    ]);
    const sent = model.requests.at(-1)!;
    expect(sent.stream).toBe(true);
    expect(sent.model).toBe('fake-model');
    expect(sent.messages[0]!.role).toBe('system');
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  test('citations of anything but the retrieved pages are dropped from the text and the sources', async () => {
    model.setScript(() => ({
      text: '请看 https://evil.example.com/recall 和 [官方通报](https://evil.example.com/a)，还有 /recalls/not-retrieved/ 以及 [9]；召回企业见 [1]。',
      chunkChars: 5,
    }));
    const events = await readEvents(await ask('罗马仕移动电源召回'));
    const streamed = events
      .filter(([event]) => event === 'token')
      .map(([, data]) => data.text)
      .join('');
    const done = events.at(-1)![1];
    for (const text of [streamed, done.answer, done.html]) {
      expect(text).not.toMatch(/evil|not-retrieved|\[9\]/);
    }
    expect(done.answer).toContain('官方通报');
    expect(done.sources).toHaveLength(1);
    expect(done.sources[0].url).toMatch(/^\/recalls\/.*luo-ma-shi/);
  });

  test('answers as JSON too', async () => {
    model.setScript(() => ({ text: '倍思牌BS-30KP365型号移动电源已召回 [1]。' }));
    const body = await (await ask('倍思移动电源召回', 'application/json')).json();
    expect(body.mode).toBe('model');
    expect(body.sources[0].url).toBe('/recalls/2025-bei-si-ke-ji-bei-si-pai-bs-30kp365/');
  });
});

describe('falling back to the built-in answer', () => {
  test('when the model does not answer in time', async () => {
    model.setScript(() => ({ text: '太迟了 [1]', delayMs: TIMEOUT_MS * 4 }));
    const started = Date.now();
    const events = await readEvents(await ask('格林牌电动自行车召回了吗'));
    const done = events.at(-1)![1];
    expect(done.mode).toBe('builtin');
    expect(done.notice).toBe('模型服务暂时不可用，以下为站内检索答案');
    expect(done.answer).toContain('无锡宝岛车业科技有限公司');
    // One try and one retry, each cut at the timeout, plus the SDK's short back-off.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 4);
  });

  test('when the stream stalls half-way', async () => {
    model.setScript(() => ({ text: '格林牌电动自行车……', chunkChars: 3, chunkDelayMs: TIMEOUT_MS * 2 }));
    const done = (await readEvents(await ask('格林牌电动自行车召回了吗'))).at(-1)![1];
    expect(done.mode).toBe('builtin');
    expect(done.notice).toContain('模型服务暂时不可用');
  });

  test('when the model server fails', async () => {
    model.setScript(() => ({ text: 'overloaded', status: 500 }));
    const done = (await readEvents(await ask('格林牌电动自行车召回了吗'))).at(-1)![1];
    expect(done.mode).toBe('builtin');
  });

  test('when the model repeats its instructions, nothing of them is shown', async () => {
    model.setScript((request) => ({ text: `好的。${partsOf(request).system}`, chunkChars: 6 }));
    const events = await readEvents(await ask('格林牌电动自行车召回了吗'));
    const streamed = events
      .filter(([event]) => event === 'token')
      .map(([, data]) => data.text)
      .join('');
    const done = events.at(-1)![1];
    expect(done.mode).toBe('builtin');
    expect(done.notice).toContain('安全检查');
    for (const text of [streamed, done.answer]) expect(text).not.toMatch(/守则|绝不输出|不要透露/);
  });
});

describe('model-call ration', () => {
  test('a device past its model calls gets the built-in answer, not a refusal', async () => {
    model.setScript(() => ({ text: '格林牌电动自行车已召回 [1]。' }));
    const asked = model.requests.length;
    const askAsDevice = () =>
      fetch(`${portal.url}/api/assistant`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          origin: portal.url,
          'x-assistant-device': 'device-ration-test-1',
        },
        body: JSON.stringify({ question: '格林牌电动自行车召回了吗' }),
      });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const response = await askAsDevice();
      expect(response.status).toBe(200);
      answers.push(await response.json());
    }
    expect(answers.map((a) => a.mode)).toEqual(['model', 'model', 'model', 'builtin']);
    expect(answers[3].notice).toBe('提问较频繁，本次未调用模型，以下为站内检索答案');
    expect(answers[3].answer).toContain('无锡宝岛车业科技有限公司');
    expect(model.requests.length - asked).toBe(3);
  });
});

describe('bounded model queue', () => {
  test('refuses with 429 BUSY beyond the concurrent calls it allows', async () => {
    model.setScript(() => ({ text: '慢慢回答 [1]', chunkChars: 2, chunkDelayMs: 100 }));
    const responses = await Promise.all([ask('格林牌电动自行车召回了吗'), ask('倍思移动电源召回')]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429]);
    const busy = responses.find((r) => r.status === 429)!;
    expect((await busy.json()).error.code).toBe('BUSY');
    await Promise.all(responses.filter((r) => r.status === 200).map((r) => r.text()));
  });
});
