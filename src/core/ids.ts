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
    lastRandom = randomTen();
  }
  return encodeTime(now) + encodeRandom(lastRandom);
}

/**
 * An id for a row dated in the past (demo history): that moment's time and fresh randomness. ulid()
 * would move a time earlier than its last id's up to that id, so backdated rows would sort in the
 * order they were made instead of by their dates.
 */
export function backdatedUlid(at: number): string {
  return encodeTime(at) + encodeRandom(randomTen());
}

function encodeTime(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

// Every request gets an id, and asking the CSPRNG for 10 bytes at a time cost more than the rest
// of making one; the bytes are drawn from it in blocks instead.
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;

function randomTen(): Uint8Array {
  if (poolAt + 10 > pool.length) {
    pool = new Uint8Array(randomBytes(POOL_BYTES));
    poolAt = 0;
  }
  poolAt += 10;
  return pool.subarray(poolAt - 10, poolAt);
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

/** 80 bits as 16 base32 digits, most significant first: two halves of 40 bits, each exact in a double. */
export function encodeRandom(bytes: Uint8Array): string {
  return encodeForty(bytes, 0) + encodeForty(bytes, 5);
}

function encodeForty(bytes: Uint8Array, from: number): string {
  let value = 0;
  for (let i = from; i < from + 5; i++) value = value * 256 + bytes[i]!;
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
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
  backup: 'bak',
  job: 'job',
  deployment: 'dep',
  healthCheck: 'hck',
  territory: 'ter',
  opportunity: 'opp',
  stageChange: 'stg',
  nps: 'nps',
  commission: 'com',
  commissionRule: 'crl',
  payout: 'pay',
  subscription: 'sub',
  invoice: 'inv',
  quote: 'quo',
  ticket: 'tkt',
  ticketComment: 'tcm',
  ticketEvent: 'tev',
  subscriptionChange: 'sch',
  flag: 'flg',
  tenantUser: 'tus',
} as const;

export function newId(kind: keyof typeof ID_PREFIXES, now?: number): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

export function hasPrefix(value: string, kind: keyof typeof ID_PREFIXES): boolean {
  return value.startsWith(`${ID_PREFIXES[kind]}_`);
}
