import { useEffect, useRef, useState } from 'react';

/** One pane's request: the key names what it asks (view, filter, tenant), so a change re-asks at once. */
export interface PaneRequest {
  key: string;
  fetch: () => Promise<unknown>;
}

export interface PaneResult {
  data?: unknown;
  /** the last failure; the data (if any) is from the refresh before it */
  error?: Error;
}

export interface Poll {
  results: Record<string, PaneResult>;
  /** when every pane last answered */
  refreshedAt?: Date;
  /** set while the API cannot be reached: the panes keep their last data */
  unreachable?: string;
  /** how many refreshes have finished (tests wait on it) */
  rounds: number;
}

const isUnreachable = (error: Error) => (error as { kind?: string }).kind === 'unavailable';

/**
 * Asks every pane's request now and then every `intervalMs`, one request per pane per refresh,
 * never two refreshes at once; `refreshToken` changing asks again now (the `r` key, an action).
 */
export function usePoll(panes: PaneRequest[], intervalMs: number, refreshToken: number, now: () => Date = () => new Date()): Poll {
  const [poll, setPoll] = useState<Poll>({ results: {}, rounds: 0 });
  const latest = useRef(panes);
  latest.current = panes;
  const signature = panes.map((pane) => pane.key).join('\n');

  useEffect(() => {
    let alive = true;
    let running = false;
    const refresh = async () => {
      if (running) return;
      running = true;
      const asked = latest.current;
      const answers = await Promise.all(asked.map((pane) => pane.fetch().then((data) => ({ data }), (error: Error) => ({ error }))));
      running = false;
      if (!alive) return;
      setPoll((before) => {
        const results: Record<string, PaneResult> = {};
        let unreachable: string | undefined;
        asked.forEach((pane, i) => {
          const answer = answers[i]!;
          if ('error' in answer) {
            results[pane.key] = { data: before.results[pane.key]?.data, error: answer.error };
            if (isUnreachable(answer.error)) unreachable ??= answer.error.message;
          } else {
            results[pane.key] = { data: answer.data };
          }
        });
        const allAnswered = answers.every((answer) => !('error' in answer) || !isUnreachable(answer.error));
        return { results, unreachable, refreshedAt: allAnswered ? now() : before.refreshedAt, rounds: before.rounds + 1 };
      });
    };
    void refresh();
    const timer = setInterval(() => void refresh(), intervalMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the signature stands for the panes
  }, [signature, intervalMs, refreshToken]);

  return poll;
}
