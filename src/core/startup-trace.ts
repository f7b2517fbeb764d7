// DOTMAC_TRACE_STARTUP=1 prints where a command's start-up time goes, one stderr line per mark:
// milliseconds since the process started (process.uptime, the clock `node -e 0` is timed by) and
// what had just finished. Each bundle holds its own copy; the clock is the process's, so their
// marks line up. Off, a mark costs one property read.
const enabled = process.env.DOTMAC_TRACE_STARTUP === '1';
// one exit mark, however many bundles hold this module
if (enabled && !(process as { dotmacStartupTrace?: true }).dotmacStartupTrace) {
  (process as { dotmacStartupTrace?: true }).dotmacStartupTrace = true;
  process.once('exit', () => startupMark('exit'));
}

export function startupMark(label: string): void {
  if (enabled) process.stderr.write(`[startup] ${(process.uptime() * 1000).toFixed(1).padStart(7)} ms  ${label}\n`);
}
