/** What a pane says when its request failed: a missing route is "not available", the rest the API's message. */
export function problemText(error: Error, unavailable?: string): string {
  const { status, kind } = error as { status?: number | null; kind?: string };
  if (status === 404 && /^no route for /.test(error.message)) return unavailable ?? 'not available on this API';
  if (kind === 'unavailable') return `API unreachable: ${error.message}`;
  return error.message;
}
