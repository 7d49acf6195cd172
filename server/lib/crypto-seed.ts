import { randomBytes } from 'node:crypto';

/** A new secret seed: 32 random bytes as 64 lowercase hex characters (DESIGN §4a). */
export function randomSeedHex(): string {
  return randomBytes(32).toString('hex');
}
