// The characters that act on a terminal, or make text display otherwise than it is stored, as the
// contents of a regular-expression character class: one definition for what the API refuses in
// human text, what the CLI escapes before printing, and what documents and failure reasons replace.

/** C0 controls, tab and newline included. */
export const C0 = '\\u0000-\\u001f';
/** DEL and the C1 controls. */
export const DEL_C1 = '\\u007f-\\u009f';
/** Bidi embeddings, overrides and isolates: what follows them displays in another order than it is stored. */
export const BIDI_CONTROLS = '\\u202a-\\u202e\\u2066-\\u2069';
/**
 * The bidi marks (U+061C, 200E/200F), and the zero-width and separator characters that hide text or
 * break lines unseen (U+200B/200C, 2028/2029, FEFF). Not the zero-width joiner (U+200D): emoji
 * sequences are made with it.
 */
export const INVISIBLES = '\\u061c\\u200b\\u200c\\u200e\\u200f\\u2028\\u2029\\ufeff';

/** C0 less the whitespace given (e.g. '\t\n'), for text that may hold it. */
export function c0Except(kept: string): string {
  const hex = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
  let ranges = '';
  let start = -1;
  for (let code = 0; code <= 0x20; code++) {
    const unsafe = code < 0x20 && !kept.includes(String.fromCharCode(code));
    if (unsafe && start < 0) start = code;
    if (!unsafe && start >= 0) {
      ranges += start === code - 1 ? hex(start) : `${hex(start)}-${hex(code - 1)}`;
      start = -1;
    }
  }
  return ranges;
}
