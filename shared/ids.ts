import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Time-sortable, unguessable ids (48-bit millisecond time + 80 random bits, Crockford base32,
 * like ULID) so ids sort by creation and cannot be enumerated.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const value = ((bytes[byte]! << 8) | (bytes[byte + 1] ?? 0)) >> (11 - (bit & 7));
    rand += ALPHABET[value & 31];
  }
  return `${prefix}_${time}${rand}`;
}

/** Port for code that needs ids, so tests can pass a deterministic one. */
export type IdGen = (prefix: string) => string;
