import type { ErrorCode } from './error-catalog.js';

/**
 * Passwords of 12–256 characters that are not common (OWASP ASVS 5.0 §6.2). The list holds the
 * shapes attackers try first; anything built from one repeated or sequential run is refused too.
 */
const COMMON = new Set([
  'password1234', 'password12345', 'password123456', 'passw0rd1234', 'p@ssw0rd1234', 'qwertyuiop12', 'qwertyuiop123',
  '123456789012', '1234567890123', '12345678901234', 'iloveyou1234', 'administrator', 'administrator1', 'welcome12345',
  'letmein12345', 'changeme1234', 'trustno112345', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234',
  'dragon123456', 'monkey123456', 'abc123456789', 'qwerty123456', 'qwerty1234567', '1q2w3e4r5t6y', '1qaz2wsx3edc',
  'zaq12wsxcvfr', 'asdfghjkl123', 'zxcvbnm12345', 'woaini131400', 'woaini520520', 'a123456789012', 'aa1234567890',
  'passwordpassword', 'correcthorsebatterystaple', 'renunciation', 'renunciation1', 'tuidang12345', 'tuidang123456',
]);

/**
 * Words people build passwords from, with digits or symbols around them ("password2026!",
 * "1qaz@woaini"): such a password is as weak as the word.
 */
const COMMON_WORDS = new Set([
  'password', 'passw0rd', 'p@ssw0rd', 'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'iloveyou', 'admin',
  'administrator', 'welcome', 'letmein', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess', 'master',
  'shadow', 'superman', 'batman', 'trustno', 'hello', 'freedom', 'whatever', 'starwars', 'computer', 'changeme',
  'secret', 'login', 'abc', 'abcdef', 'woaini', 'wodemima', 'mima', 'zhongguo', 'china', 'beijing', 'shanghai',
  'tuidang', 'tuidangzhongxin', 'renunciation', 'falun', 'dafa', 'minzhu', 'ziyou', 'qazwsx', '1qaz2wsx', 'zaq1xsw2',
]);

function isWordWithDecoration(lower: string): boolean {
  const core = lower.replace(/^[\d\W_]+/, '').replace(/[\d\W_]+$/, '');
  return core.length > 0 && COMMON_WORDS.has(core);
}

export function checkPassword(password: string, userName: string): { code: ErrorCode; max?: number } | null {
  const length = [...password].length;
  if (length < 12) return { code: 'password_too_weak' };
  if (length > 256) return { code: 'too_long', max: 256 };
  const lower = password.toLowerCase();
  // Digits alone are dates and phone numbers: guessed first.
  const digitsOnly = /^\d+$/.test(lower);
  if (COMMON.has(lower) || digitsOnly || isWordWithDecoration(lower) || new Set(lower).size <= 3 || isSequence(lower)) {
    return { code: 'password_too_weak' };
  }
  if (userName.length >= 3 && lower.includes(userName.toLowerCase())) return { code: 'password_too_weak' };
  return null;
}

function isSequence(value: string): boolean {
  const codes = [...value].map((c) => c.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  return Math.abs(step) <= 1 && codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}
