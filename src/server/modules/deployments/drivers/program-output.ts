// What the exec driver keeps of a provisioning program's output, which may be endless: at most one
// line of stdout not yet ended, and the end of stderr. Pure: chunks in, lines and quotes out.

import { BIDI_CONTROLS, C0, DEL_C1, INVISIBLES } from '../../../../core/unsafe-text.js';

const NEWLINE = 0x0a;
// what never goes into a failure reason as it came: control, bidi, zero-width and separator characters
const CONTROL = new RegExp(`[${C0}${DEL_C1}${INVISIBLES}${BIDI_CONTROLS}]+`, 'g');

/** Splits stdout into lines as its chunks arrive, holding at most `maxBytes` of a line not yet ended. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(private readonly maxBytes: number) {}

  /** The lines this chunk ends; `tooLong` once a line passes maxBytes, after which nothing is kept. */
  push(chunk: Buffer): { lines: string[]; tooLong: boolean } {
    const lines: string[] = [];
    if (this.overflowed) return { lines, tooLong: true };
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (this.pendingBytes + (end - start) > this.maxBytes) return { lines, tooLong: this.overflow() };
      lines.push(withoutCarriageReturn(Buffer.concat([...this.pending, chunk.subarray(start, end)]).toString('utf8')));
      this.pending = [];
      this.pendingBytes = 0;
      start = end + 1;
    }
    const rest = chunk.length - start;
    if (this.pendingBytes + rest > this.maxBytes) return { lines, tooLong: this.overflow() };
    if (rest > 0) {
      // a copy: a small remainder must not keep a whole chunk alive
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes += rest;
    }
    return { lines, tooLong: false };
  }

  /** The last line, when the output ended without a newline. */
  end(): string[] {
    if (this.overflowed || this.pendingBytes === 0) return [];
    const last = withoutCarriageReturn(Buffer.concat(this.pending).toString('utf8'));
    this.pending = [];
    this.pendingBytes = 0;
    return [last];
  }

  private overflow(): true {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    return true;
  }
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The end of stderr: at most `keptBytes` of it, quoted as whole lines. */
export class OutputTail {
  private kept = Buffer.alloc(0);
  /** the kept bytes start somewhere inside a line */
  private cut = false;

  constructor(private readonly keptBytes: number) {}

  push(chunk: Buffer): void {
    const joined = Buffer.concat([this.kept, chunk]);
    if (joined.length <= this.keptBytes) {
      this.kept = joined;
      return;
    }
    const start = joined.length - this.keptBytes;
    // what is kept starts a line only when what was dropped ended one
    this.cut = joined[start - 1] !== NEWLINE;
    this.kept = Buffer.from(joined.subarray(start));
  }

  /**
   * The last lines that fit in `maxChars`, whole, joined by spaces, control characters made spaces;
   * when not even the last fits, its start (or, when only its end was kept, its end) marked with "…".
   */
  quote(maxChars: number): string {
    const lines = this.kept.toString('utf8').split(/\r\n|\n|\r/).map((line) => line.replace(CONTROL, ' ').trim());
    const firstIsWhole = !this.cut;
    const shown: string[] = [];
    let length = -1;
    for (let i = lines.length - 1; i >= (firstIsWhole ? 0 : 1); i--) {
      const line = lines[i]!;
      if (line === '') continue;
      if (length + 1 + line.length > maxChars) break;
      shown.unshift(line);
      length += 1 + line.length;
    }
    if (shown.length > 0) return shown.join(' ');
    const lastIndex = lines.findLastIndex((line) => line !== '');
    if (lastIndex === -1) return '';
    const last = lines[lastIndex]!;
    if (lastIndex === 0 && !firstIsWhole) return `…${last.slice(-(maxChars - 1))}`;
    return `${last.slice(0, maxChars - 1)}…`;
  }
}
