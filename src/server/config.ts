/**
 * Server configuration, parsed once from the environment with zod.
 * Every variable is documented in README.md ("配置"); a bad value stops the server with its name.
 */
import { z } from 'zod';
import { DEFAULT_SITE_URL } from '~/lib/site-url';
import { parseTrustedProxies } from './http/trusted-proxies';
import { votingConfigShape } from './voting/config';
import { adminConfigShape } from './admin/config';
import { storeConfigShape } from './store/config';
import { httpConfigShape } from './http/config';

const configSchema = z.object({
  /** Where the embedded store keeps its files (lowdb documents, ballot log, snapshots). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Public address of the portal, for absolute links (RSS, QR codes, Origin checks). */
  SITE_URL: z.url().default(DEFAULT_SITE_URL),
  /**
   * Comma list of IPs/CIDRs of our reverse proxies; only their X-Forwarded-For is believed. Parsed
   * here, once, for every per-address limit (ballots, assistant, staff login); a bad entry stops the start.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list, context) => {
      try {
        return parseTrustedProxies(list);
      } catch (error) {
        context.issues.push({ code: 'custom', message: (error as Error).message, input: list });
        return z.NEVER;
      }
    }),
  /**
   * Font files (comma list) for the sharing cards of announcements and recalls; they must cover
   * Chinese. Unset: where Noto Sans CJK, PingFang or Microsoft YaHei are usually installed.
   */
  SHARE_CARD_FONT_FILES: z
    .string()
    .optional()
    .transform((list) =>
      list
        ?.split(',')
        .map((file) => file.trim())
        .filter(Boolean),
    ),
  ...votingConfigShape,
  ...adminConfigShape,
  ...storeConfigShape,
  ...httpConfigShape,
});

/** The parsed environment, and whether SITE_URL was given (only then is it the one trusted origin). */
export type ServerConfig = z.output<typeof configSchema> & { SITE_URL_SET: boolean };

export function parseConfig(env: Record<string, string | undefined>): ServerConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`配置错误（环境变量）：${problems}`);
  }
  return { ...result.data, SITE_URL_SET: env.SITE_URL !== undefined };
}

let cached: ServerConfig | undefined;

/** The configuration of this process. */
export function serverConfig(): ServerConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
