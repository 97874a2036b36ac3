import argon2 from 'argon2';
import { randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import { badRequest } from '../errors.js';

/** argon2id hash of a password with the configured cost. */
export function hashPassword(config: Pick<Config, 'argon2'>, password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...config.argon2 });
}

/** Constant-time comparison of a password with its stored hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** 等保 practice: at least 8 characters from at least three of the four classes, not the user name. */
export function assertPasswordPolicy(password: string, username: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 8 || classes < 3 || password.toLowerCase().includes(username.toLowerCase())) {
    throw badRequest('PASSWORD_POLICY', {
      zh: '密码至少8位，须包含大写字母、小写字母、数字、符号中的至少三类，且不能包含用户名',
      en: 'The password needs at least 8 characters from three of: upper case, lower case, digits, symbols, and must not contain the user name',
    });
  }
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A random initial password that meets the policy; the user must change it at first login. */
export function generateInitialPassword(): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    const pw = `${s}#${randomInt(10)}`;
    if (/[a-z]/.test(pw) && /[A-Z]/.test(pw)) return pw;
  }
}
