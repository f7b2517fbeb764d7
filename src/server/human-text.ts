import { z } from '@hono/zod-openapi';

/**
 * Text that people read in a terminal (names, labels, reasons) may not carry C0 or C1 control
 * characters or DEL, which a terminal obeys (window titles, OSC 52 clipboard writes, cursor
 * movement), nor the bidi overrides and isolates, which reorder what the reader sees.
 */
const HUMAN_TEXT = /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/;

export const HUMAN_TEXT_RULE = 'must not contain control characters or bidirectional overrides';

export function isHumanText(text: string): boolean {
  return HUMAN_TEXT.test(text);
}

/**
 * Every human text field of the API: at most `max` characters once trimmed, checked before the
 * trim so that a trailing newline is refused rather than quietly dropped.
 */
export function humanText(max: number) {
  return z.string().regex(HUMAN_TEXT, HUMAN_TEXT_RULE).trim().max(max);
}
