import { Secret, TOTP } from 'otpauth';

const ISSUER = '督导 Dudao';

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new TOTP secret in base32: random, or from given bytes (the seeded demo). */
export function newTotpSecret(bytes?: Uint8Array): string {
  return (bytes ? new Secret({ buffer: bytes.slice().buffer }) : new Secret({ size: 20 })).base32;
}

/** The otpauth:// URL an authenticator app scans. */
export function totpUrl(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

/**
 * Checks a code (±1 step of clock drift) and returns its time step, or null. The caller refuses a step
 * it has already accepted, so a code seen over someone's shoulder cannot be replayed.
 */
export function checkTotp(secretBase32: string, code: string, now = Date.now()): number | null {
  const t = totp(secretBase32, 'x');
  const delta = t.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / 30) + delta;
}

/** The current code for a secret (demo output and tests). */
export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totp(secretBase32, 'x').generate({ timestamp: now });
}
