import type { Principal } from './auth/principal.js';
import type { ServiceContext } from './context.js';

/**
 * Identical aggregate reads made close together share one computation. An aggregate over the
 * whole platform (the overview, the analytics distributions) costs tens of milliseconds at 10,000
 * tenants, and on SQLite it runs without yielding, so fifty dashboards asking at once would each
 * wait for the forty-nine computations queued before theirs. Instead, a read joins the one under
 * way for the same key, or takes its answer for `freshMs` after it finished.
 *
 * A change this server answers ends the sharing of every answer computed before it (`changed`):
 * a caller that made a change and then reads sees it. Changes made elsewhere (the worker, another
 * process on the same database) show within `freshMs`. Only successful answers are kept, at most
 * `freshMs`, and only figures: no secret or token is ever in an answer that is shared.
 */
export class SharedReads {
  private readonly answers = new Map<string, { answer: Promise<unknown>; finishedAt?: number }>();

  constructor(private readonly freshMs: number) {}

  /** A change was answered: answers computed before it no longer stand for now. */
  changed(): void {
    this.answers.clear();
  }

  read<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = performance.now();
    const kept = this.answers.get(key);
    if (kept && (kept.finishedAt === undefined || now - kept.finishedAt <= this.freshMs)) return kept.answer as Promise<T>;
    if (this.answers.size >= 1_000) this.forgetStale(now);
    const entry: { answer: Promise<T>; finishedAt?: number } = { answer: compute() };
    this.answers.set(key, entry);
    entry.answer.then(
      () => {
        entry.finishedAt = performance.now();
        if (this.freshMs <= 0) this.forget(key, entry);
      },
      () => this.forget(key, entry),
    );
    return entry.answer;
  }

  private forget(key: string, entry: object): void {
    if (this.answers.get(key) === entry) this.answers.delete(key);
  }

  private forgetStale(now: number): void {
    for (const [key, entry] of this.answers) if (entry.finishedAt !== undefined && now - entry.finishedAt > this.freshMs) this.answers.delete(key);
  }
}

/** Everything an answer can depend on about its caller: role and scope. */
function scopeKey(principal: Principal): string {
  return `${principal.role}:${principal.tenantId ?? ''}:${principal.resellerId ?? ''}`;
}

/** `compute` for this caller's scope, shared with the same read for the same scope (see SharedReads). */
export function sharedRead<T>(ctx: ServiceContext, name: string, compute: () => Promise<T>): Promise<T> {
  return ctx.sharedReads ? ctx.sharedReads.read(`${name}|${scopeKey(ctx.principal)}`, compute) : compute();
}
