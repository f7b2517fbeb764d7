import { describe, expect, it } from 'vitest';
import { LineSplitter, OutputTail } from '../../../../src/server/modules/deployments/drivers/program-output.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('LineSplitter', () => {
  it('joins lines across chunks, a character split between them included, and gives the last line without a newline at the end', () => {
    const splitter = new LineSplitter(100);
    const euro = bytes('€');
    expect(splitter.push(Buffer.concat([bytes('{"a":1}\r\n{"b":"'), euro.subarray(0, 1)]))).toEqual({ lines: ['{"a":1}'], tooLong: false });
    expect(splitter.push(Buffer.concat([euro.subarray(1), bytes('"}\nlast')]))).toEqual({ lines: ['{"b":"€"}'], tooLong: false });
    expect(splitter.end()).toEqual(['last']);
  });

  it('a line longer than the limit: the lines before it, then tooLong, and nothing kept after', () => {
    const splitter = new LineSplitter(8);
    expect(splitter.push(bytes('12345678\n123'))).toEqual({ lines: ['12345678'], tooLong: false });
    expect(splitter.push(bytes('456789'))).toEqual({ lines: [], tooLong: true });
    expect(splitter.push(bytes('\nmore\n'))).toEqual({ lines: [], tooLong: true });
    expect(splitter.end()).toEqual([]);
  });
});

describe('OutputTail', () => {
  it('quotes the last whole lines that fit, never the end of a line cut off', () => {
    const tail = new OutputTail(64);
    for (let i = 0; i < 100; i++) tail.push(bytes(`line ${i}\n`));
    expect(tail.quote(500)).toMatch(/^line \d+ .* line 99$/);
    expect(tail.quote(16)).toBe('line 98 line 99');
    expect(tail.quote(10)).toBe('line 99');
  });

  it('one line too long for the quote: its start, or its end when only that was kept, marked with …', () => {
    const whole = new OutputTail(1000);
    whole.push(bytes(`${'a'.repeat(300)}\n`));
    expect(whole.quote(100)).toBe(`${'a'.repeat(99)}…`);
    const cut = new OutputTail(200);
    cut.push(bytes(`start ${'b'.repeat(1000)} end`));
    expect(cut.quote(100)).toBe(`…${'b'.repeat(95)} end`);
  });

  it('control characters become spaces; nothing printed quotes as nothing', () => {
    const tail = new OutputTail(100);
    expect(tail.quote(50)).toBe('');
    tail.push(bytes('\u001b[31mred\u001b[0m\tdone\n\n'));
    expect(tail.quote(50)).toBe('[31mred [0m done');
  });

  it('bidi, zero-width and separator characters become spaces too: a reason reads as it is stored', () => {
    const tail = new OutputTail(100);
    tail.push(bytes('pass\u202eword\u200bhidden\u2028next\ufeff\n'));
    expect(tail.quote(50)).toBe('pass word hidden next');
  });
});
