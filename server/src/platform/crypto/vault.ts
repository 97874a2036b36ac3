import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encryption of personal data at rest (AES-256-GCM) and keyed hashes (HMAC-SHA256) for exact look-ups
 * and joins on encrypted values. Two keys are derived from one master key so neither use weakens the other.
 */
export interface Vault {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** Deterministic keyed hash of a normalised value: equal inputs give equal outputs, nothing reversible. */
  hmac(value: string): string;
}

const VERSION = 'v1';

/** Builds a vault from a 32-byte master key. */
export function createVault(masterKey: Buffer): Vault {
  if (masterKey.length !== 32) throw new Error('the secret key must be 32 bytes (base64 of 32 random bytes)');
  // Key objects, made once: a raw key given to every cipher is imported again on each call, which halves
  // the speed of an import that encrypts a million ID numbers.
  const encKey = createSecretKey(
    Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dudao/encrypt', 32)),
  );
  const macKey = createSecretKey(
    Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dudao/hmac', 32)),
  );
  // Nonces come from the CSPRNG in blocks of 4,096; each is used once (GCM's 96-bit random nonce).
  const nonces = Buffer.alloc(12 * 4096);
  let next = nonces.length;
  const nonce = () => {
    if (next >= nonces.length) {
      randomFillSync(nonces);
      next = 0;
    }
    const iv = Buffer.from(nonces.subarray(next, next + 12));
    next += 12;
    return iv;
  };
  return {
    encrypt(plain) {
      const iv = nonce();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        VERSION,
        iv.toString('base64'),
        cipher.getAuthTag().toString('base64'),
        body.toString('base64'),
      ].join(':');
    },
    decrypt(token) {
      const [version, iv, tag, body] = token.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a vault token');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    hmac(value) {
      return createHmac('sha256', macKey).update(value, 'utf8').digest('hex');
    },
  };
}

/**
 * The master key: DUDAO_SECRET_KEY when set, else `<dataDir>/secret.key`, created on first use with
 * owner-only permissions. Losing that file makes stored personal data unreadable: back it up.
 */
export function loadMasterKey(dataDir: string, configured: string | null): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
