import { describe, expect, it } from 'vitest';
import { BIDI_CONTROLS, C0, c0Except, DEL_C1, INVISIBLES } from '../../src/core/unsafe-text.js';

/** The code points of the Basic Multilingual Plane a character class matches. */
const matched = (cls: string) => {
  const re = new RegExp(`[${cls}]`);
  const out: number[] = [];
  for (let code = 0; code < 0x10000; code++) if (re.test(String.fromCharCode(code))) out.push(code);
  return out;
};
const codes = (...ranges: [number, number][]) => ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));

describe('the unsafe characters', () => {
  it('are C0, DEL and C1, the bidi controls, and the marks and invisibles, without the zero-width joiner', () => {
    expect(matched(C0)).toEqual(codes([0, 0x1f]));
    expect(matched(DEL_C1)).toEqual(codes([0x7f, 0x9f]));
    expect(matched(BIDI_CONTROLS)).toEqual(codes([0x202a, 0x202e], [0x2066, 0x2069]));
    expect(matched(INVISIBLES)).toEqual([0x061c, 0x200b, 0x200c, 0x200e, 0x200f, 0x2028, 0x2029, 0xfeff]);
  });

  it('c0Except leaves out exactly the whitespace it is given', () => {
    expect(matched(c0Except(''))).toEqual(codes([0, 0x1f]));
    expect(matched(c0Except('\t\n'))).toEqual(codes([0, 8], [0x0b, 0x1f]));
    expect(matched(c0Except('\n\r'))).toEqual(codes([0, 9], [0x0b, 0x0c], [0x0e, 0x1f]));
    expect(matched(c0Except('\t\n\f\r'))).toEqual(codes([0, 8], [0x0b, 0x0b], [0x0e, 0x1f]));
    expect(matched(c0Except('\u0000\u001f'))).toEqual(codes([1, 0x1e]));
  });
});
