/**
 * The assistant's settings, parsed from the environment with zod. Documented here because they
 * are the assistant's alone; DATA_DIR, SITE_URL and TRUSTED_PROXIES come from the shared server configuration.
 *
 * - OPENAI_API_KEY: when set, answers are written by an OpenAI-compatible model; otherwise by the built-in answerer.
 * - OPENAI_BASE_URL: the model server's address (any OpenAI-compatible Chat Completions server), e.g. http://127.0.0.1:8000/v1.
 * - ASSISTANT_MODEL: model name (default gpt-4o-mini).
 * - ASSISTANT_TIMEOUT_MS: wait for the model's first byte, and between tokens, before falling back (default 15000).
 * - ASSISTANT_MAX_RETRIES: retries of a failed model request (default 1).
 * - ASSISTANT_MAX_CONCURRENT / ASSISTANT_QUEUE: model calls at once / waiting; beyond that 429 BUSY (defaults 4 / 16).
 * - ASSISTANT_RATE_DEVICE / ASSISTANT_RATE_ADDRESS: model calls per minute per device / per address (defaults 10 / 30);
 *   beyond them the question gets the built-in answer, not a refusal.
 * - ASSISTANT_RATE_ADDRESS_ANY: questions of any kind per minute per address (default 3000): a built-in answer costs
 *   about a millisecond, so a school class behind one NAT never meets it, while one address still cannot burn unbounded CPU.
 * - ASSISTANT_HASH_KEY: key of the hash that replaces addresses and device ids in memory (default: random per process).
 * - ASSISTANT_LOG: "off" stops the anonymous question log (default on). ASSISTANT_LOG_DAYS: days kept (default 7).
 */
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const assistantConfigSchema = z.object({
  OPENAI_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  ASSISTANT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ASSISTANT_TIMEOUT_MS: positiveInt(15_000),
  ASSISTANT_MAX_RETRIES: nonNegativeInt(1),
  ASSISTANT_MAX_CONCURRENT: positiveInt(4),
  ASSISTANT_QUEUE: nonNegativeInt(16),
  ASSISTANT_RATE_DEVICE: positiveInt(10),
  ASSISTANT_RATE_ADDRESS: positiveInt(30),
  ASSISTANT_RATE_ADDRESS_ANY: positiveInt(3000),
  ASSISTANT_HASH_KEY: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
  ASSISTANT_LOG: z.enum(['on', 'off']).default('on'),
  ASSISTANT_LOG_DAYS: positiveInt(7),
  SITE_NAME: z.string().default('你点我查'),
});

export type AssistantConfig = z.output<typeof assistantConfigSchema>;

export function parseAssistantConfig(env: Record<string, string | undefined>): AssistantConfig {
  const result = assistantConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`助手配置错误（环境变量）：${problems}`);
  }
  return result.data;
}
