/** Request data in log lines is capped: a client must not be able to write kilobytes per request into the log. */
const MAX_LOGGED_CHARS = 200;

export function forLog(text: string | undefined): string {
  if (text === undefined) return '';
  return text.length > MAX_LOGGED_CHARS ? `${text.slice(0, MAX_LOGGED_CHARS)}…（共 ${text.length} 字符）` : text;
}
