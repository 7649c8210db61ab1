/**
 * What a staff password must be. Length matters most (NIST SP 800-63B): at least 12 characters,
 * no composition rules, but not the username, not one repeated character and not a well-known one.
 */
import { characterCount } from '~/lib/voting/ballot-rules';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Passwords attackers try first (lower-cased); the list is short on purpose, length does the rest. */
const WELL_KNOWN = new Set([
  'password1234',
  'passw0rd1234',
  'administrator',
  'admin1234567',
  'admin@123456',
  '123456789012',
  '1234567890123',
  'qwertyuiop12',
  'qwerty123456',
  'iloveyou1234',
  'woaini123456',
  'abc123456789',
  'a12345678910',
]);

/** The Chinese reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  const length = characterCount(password);
  if (length < PASSWORD_MIN_LENGTH) return `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符。`;
  if (length > PASSWORD_MAX_LENGTH) return `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符。`;
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return '密码不能包含用户名。';
  if (new Set(lower).size <= 2) return '密码不能只由一两个字符重复组成。';
  if (WELL_KNOWN.has(lower) || isSequence(lower)) return '这个密码太常见，很容易被猜到，请换一个。';
  return null;
}

/** "abcdefghijkl", "123456789012" and the like. */
function isSequence(text: string): boolean {
  const codes = [...text].map((char) => char.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((code, index) => code - (codes[index] ?? 0)));
  return steps.size === 1 && [...steps].every((step) => Math.abs(step) === 1);
}

/** Usernames: short, ASCII, safe in URLs and logs. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{1,31}$/;
export const USERNAME_RULE = '用户名须以小写字母开头，只含小写字母、数字、点、下划线或连字符，长 2 到 32 个字符。';
