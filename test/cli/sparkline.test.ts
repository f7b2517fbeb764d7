import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/cli/sparkline.js';

describe('sparkline', () => {
  it('draws lowest as ▁ and highest as █, a gap as a space', () => {
    expect(sparkline([0, 50, 100])).toBe('▁▅█');
    expect(sparkline([10, null, 10])).toBe('▄ ▄');
    expect(sparkline([null, null])).toBe('  ');
    expect(sparkline([])).toBe('');
  });

  it('keeps the newest values that fit, one character each', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 5000 })), { maxLength: 200 }), fc.integer({ min: 1, max: 80 }), (values, width) => {
        const line = sparkline(values, width);
        expect([...line].length).toBe(Math.min(values.length, width));
        expect(line).toMatch(/^[ ▁▂▃▄▅▆▇█]*$/u);
      }),
    );
  });
});
