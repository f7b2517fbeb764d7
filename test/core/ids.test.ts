import { describe, expect, it } from 'vitest';
import { backdatedUlid, encodeRandom, newId, ulid } from '../../src/core/ids.js';

describe('ulid', () => {
  it('encodes 80 random bits as 16 Crockford base32 digits, most significant first', () => {
    expect(encodeRandom(new Uint8Array(10))).toBe('0000000000000000');
    expect(encodeRandom(new Uint8Array(10).fill(255))).toBe('zzzzzzzzzzzzzzzz');
    expect(encodeRandom(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe('0000000000000001');
    expect(encodeRandom(Uint8Array.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('g000000000000000');
    // the digit straddling the two 40-bit halves
    expect(encodeRandom(Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]))).toBe('0000000100000000');
    expect(encodeRandom(Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc]))).toBe('04hmasw9nf6yzzpw');
  });

  it('starts with the time and sorts in creation order, within one millisecond too', () => {
    const at = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 1000 }, (_, i) => ulid(at + Math.floor(i / 100)));
    expect(ids.every((id) => /^[0-9a-hjkmnp-tv-z]{26}$/.test(id))).toBe(true);
    expect(ids[99]!.slice(0, 10)).toBe(ids[0]!.slice(0, 10));
    expect(ids[100]!.slice(0, 10)).not.toBe(ids[0]!.slice(0, 10));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('dates a backdated id at its own moment, so backdated rows sort by their dates whatever order they were made in', () => {
    const now = Date.UTC(2032, 0, 1);
    const current = ulid(now);
    const hourAgo = backdatedUlid(now - 3_600_000);
    const twoHoursAgo = backdatedUlid(now - 7_200_000);
    expect([current, hourAgo, twoHoursAgo].sort()).toEqual([twoHoursAgo, hourAgo, current]);
    expect(hourAgo.slice(0, 10)).toBe(backdatedUlid(now - 3_600_000).slice(0, 10));
    expect(backdatedUlid(now - 3_600_000)).not.toBe(hourAgo);
    // the sequence of current ids goes on after the last one
    expect(ulid(now) > current).toBe(true);
  });

  it('draws fresh randomness for each new millisecond', () => {
    const later = Date.UTC(2031, 0, 1);
    const randoms = new Set(Array.from({ length: 2000 }, (_, i) => ulid(later + i).slice(10)));
    expect(randoms.size).toBe(2000);
    expect(newId('request')).toMatch(/^req_[0-9a-z]{26}$/);
  });
});
