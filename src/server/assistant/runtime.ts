/**
 * The assistant of this process: configuration, index, model client, limits and log, created
 * once and shared by the API route and the /assistant/ page.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BoundedQueue } from '~/lib/assistant/limits';
import { TokenBuckets } from '~/lib/http/token-buckets';
import { serverConfig } from '~/server/config';
import { parseAssistantConfig, type AssistantConfig } from './config';
import { newestIndex, publishedIndex } from './content';
import { AssistantLog, envLogSetting, type AssistantLogSetting } from './log';
import { createModelClient } from './model';
import { AssistantService } from './service';
import { serverClock } from '~/server/clock';

const clockMs = () => serverClock.now().getTime();

export interface AssistantRuntime {
  config: AssistantConfig;
  service: AssistantService;
  /** Model calls per device and per address: the costly part. */
  deviceBuckets: TokenBuckets;
  addressBuckets: TokenBuckets;
  /** Questions of any kind per address, so that built-in answers too do bounded work. */
  anyQuestionBuckets: TokenBuckets;
  log: AssistantLog;
  /** Keyed hash, so that the rate limiter never holds a raw address or device id. */
  anonymise: (value: string) => string;
}

let runtime: Promise<AssistantRuntime> | undefined;

async function create(): Promise<AssistantRuntime> {
  const config = parseAssistantConfig(process.env);
  const { DATA_DIR, SITE_URL } = serverConfig();
  const key = config.ASSISTANT_HASH_KEY ?? randomBytes(32).toString('hex');
  const model = config.OPENAI_API_KEY
    ? createModelClient({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        model: config.ASSISTANT_MODEL,
        timeoutMs: config.ASSISTANT_TIMEOUT_MS,
        maxRetries: config.ASSISTANT_MAX_RETRIES,
      })
    : null;
  await publishedIndex();
  const service = new AssistantService({
    index: newestIndex,
    model,
    queue: new BoundedQueue(config.ASSISTANT_MAX_CONCURRENT, config.ASSISTANT_QUEUE),
    siteName: config.SITE_NAME,
    siteOrigin: new URL(SITE_URL).origin,
  });
  // A burst of one minute's allowance; the bound keeps memory flat however many addresses ask.
  const perMinute = (n: number) => ({ burst: n, perMinute: n, maxKeys: 50_000 });
  const setting: AssistantLogSetting = { isEnabled: () => envLogSetting(config.ASSISTANT_LOG).isEnabled() };
  return {
    config,
    service,
    deviceBuckets: new TokenBuckets(perMinute(config.ASSISTANT_RATE_DEVICE), clockMs),
    addressBuckets: new TokenBuckets(perMinute(config.ASSISTANT_RATE_ADDRESS), clockMs),
    anyQuestionBuckets: new TokenBuckets(perMinute(config.ASSISTANT_RATE_ADDRESS_ANY), clockMs),
    log: new AssistantLog(join(DATA_DIR, 'assistant-log'), setting, config.ASSISTANT_LOG_DAYS),
    anonymise: (value) => createHmac('sha256', key).update(value).digest('base64url').slice(0, 22),
  };
}

export function assistantRuntime(): Promise<AssistantRuntime> {
  runtime ??= create().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}
