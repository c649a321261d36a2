import { generateSecret, generateURI, verify } from 'otplib';

/** A new TOTP secret (160 bits, base32) for an authenticator app. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI to enrol the secret (RFC 6238, Google Authenticator key URI format). */
export function totpUri(accountName: string, secret: string): string {
  return generateURI({ issuer: 'Renunciation Center', label: accountName, secret });
}

/**
 * Checks a six-digit code, allowing one step of clock drift either way. A code is usable once:
 * only steps after `lastStep` count. Returns the accepted step, or null.
 */
export async function verifyTotp(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  // RFC 6238 time step: the period's start in seconds over the 30-second period.
  return result.valid && 'epoch' in result ? Math.floor(result.epoch / 30) : null;
}
