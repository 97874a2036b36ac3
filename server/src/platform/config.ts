import { resolve } from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** Minutes of inactivity after which a session ends (等保: default 30). */
  idleTimeoutMinutes: number;
  /** Absolute session lifetime in hours. */
  sessionMaxHours: number;
  /** Roles whose holders must use a TOTP second factor. */
  totpRequiredRoles: string[];
  loginRateLimitPerMinute: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Base64 AES-256 key for personal data; generated into the data folder when absent. */
  secretKey: string | null;
  cookieSecure: boolean;
  bodyLimitBytes: number;
  /** Largest import upload (.xlsx or CSV) in bytes; default 300 MB (a million-row roster is ≈ 150 MB of CSV). */
  importMaxBytes: number;
  logLevel: string;
  /** argon2 cost; lowered only by tests. */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** PostgreSQL role the app runs as in production; migrations grant it append-only audit rights. */
  appRole: string | null;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** Builds the configuration from environment variables (see README's table). */
export function loadConfig(overrides: Partial<Config> = {}): Config {
  const env = process.env;
  return {
    port: int('PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DUDAO_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || null,
    idleTimeoutMinutes: int('DUDAO_IDLE_TIMEOUT_MINUTES', 30),
    sessionMaxHours: int('DUDAO_SESSION_MAX_HOURS', 12),
    totpRequiredRoles: (env.DUDAO_TOTP_REQUIRED_ROLES ?? 'city_admin')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    loginRateLimitPerMinute: int('DUDAO_LOGIN_RATE_LIMIT', 30),
    lockoutThreshold: int('DUDAO_LOCKOUT_THRESHOLD', 5),
    lockoutMinutes: int('DUDAO_LOCKOUT_MINUTES', 15),
    secretKey: env.DUDAO_SECRET_KEY || null,
    cookieSecure: env.DUDAO_COOKIE_SECURE === 'true',
    bodyLimitBytes: int('DUDAO_BODY_LIMIT', 1024 * 1024),
    importMaxBytes: int('DUDAO_IMPORT_MAX_BYTES', 300 * 1024 * 1024),
    logLevel: env.DUDAO_LOG_LEVEL ?? 'info',
    argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    appRole: env.DUDAO_APP_ROLE || null,
    ...overrides,
  };
}
