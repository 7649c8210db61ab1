/**
 * Server configuration, parsed once from the environment with zod.
 * Every variable is documented in README.md ("配置"); a bad value stops the server with its name.
 */
import { z } from 'zod';
import { votingConfigShape } from './voting/config';
import { adminConfigShape } from './admin/config';
import { storeConfigShape } from './store/config';

const configSchema = z.object({
  /** Where the embedded store keeps its files (lowdb documents, ballot log, snapshots). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Public address of the portal, for absolute links (RSS, QR codes, Origin checks). */
  SITE_URL: z.url().default('http://localhost:4321'),
  ...votingConfigShape,
  ...adminConfigShape,
  ...storeConfigShape,
});

export type ServerConfig = z.output<typeof configSchema>;

export function parseConfig(env: Record<string, string | undefined>): ServerConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`配置错误（环境变量）：${problems}`);
  }
  return result.data;
}

let cached: ServerConfig | undefined;

/** The configuration of this process. */
export function serverConfig(): ServerConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
