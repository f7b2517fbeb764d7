import { z } from '@hono/zod-openapi';
import { BIDI_CONTROLS, C0, DEL_C1 } from '../core/unsafe-text.js';

/**
 * Text that people read in a terminal (names, labels, reasons) may not carry C0 or C1 control
 * characters or DEL, which a terminal obeys (window titles, OSC 52 clipboard writes, cursor
 * movement), nor the bidi overrides and isolates, which reorder what the reader sees.
 */
const HUMAN_TEXT = new RegExp(`^[^${C0}${DEL_C1}${BIDI_CONTROLS}]*$`);

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
