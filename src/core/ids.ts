import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

let lastTime = 0;
let lastRandom: Uint8Array = new Uint8Array(10);

/**
 * A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32. Within one millisecond
 * the random part is incremented, so ids made by one process sort in creation order.
 */
export function ulid(now = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = new Uint8Array(randomBytes(10));
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + encodeRandom(lastRandom);
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 255) {
      next[i]!++;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

function encodeRandom(bytes: Uint8Array): string {
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

export const ID_PREFIXES = {
  tenant: 'ten',
  reseller: 'res',
  user: 'usr',
  token: 'tok',
  audit: 'aud',
  request: 'req',
} as const;

export function newId(kind: keyof typeof ID_PREFIXES, now?: number): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

export function hasPrefix(value: string, kind: keyof typeof ID_PREFIXES): boolean {
  return value.startsWith(`${ID_PREFIXES[kind]}_`);
}
