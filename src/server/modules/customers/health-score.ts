// Customer health (COMMERCE.md § Customer health) as a pure function: inputs in, score, band,
// flags and reasons out. No I/O; gather.ts collects the inputs.

export const HEALTH_COMPONENTS = ['subscriber_trend', 'module_adoption', 'billing', 'support', 'platform', 'sentiment'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

export const COMPONENT_WEIGHTS: Readonly<Record<HealthComponent, number>> = {
  subscriber_trend: 25,
  module_adoption: 20,
  billing: 20,
  support: 15,
  platform: 10,
  sentiment: 10,
};

export const HEALTH_BANDS = ['green', 'yellow', 'red'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

/** A component the platform holds nothing for yet, and why. */
export interface NoData {
  noData: string;
}

export interface HealthInputs {
  /** the 30-day change of active subscribers, in percent (e.g. 2.5 for +2.5 %) */
  subscriberTrend: { changePct: number; from: number; to: number } | NoData;
  /** distinct modules in use */
  moduleAdoption: { modulesInUse: number } | NoData;
  /** days the oldest unpaid invoice is past due (0 when current); past_due: the subscription's state */
  billing: { daysOverdue: number; pastDue: boolean } | NoData;
  /** open P1/P2 tickets, and the CSAT average (1–5; null when none rated) */
  support: { openP1P2: number; csat: number | null } | NoData;
  /** the instance now; unhealthyHours: how long it has been unhealthy without a break */
  platform: { status: 'healthy' | 'degraded' | 'unhealthy'; uptimePct: number | null; unhealthyHours: number } | NoData;
  /** the last NPS score within 180 days; null when none */
  sentiment: { lastNps: number | null };
  /** a cancellation was requested */
  cancellationRequested: boolean | NoData;
  /** metered quantities against their allowance or cap */
  metered: { name: string; used: number; limit: number }[];
  /** consecutive months billed with overage, up to now; null when unknown */
  overageMonths: number | null;
}

export interface ComponentScore {
  component: HealthComponent;
  weight: number;
  /** 0–100; NO_DATA_SCORE when the platform holds no data for it */
  score: number;
  /** true when the score is the neutral one for missing data */
  no_data: boolean;
  input: Record<string, number | string | boolean | null>;
  reason: string;
}

export interface HealthScore {
  score: number;
  band: HealthBand;
  /** why the band is red whatever the score; empty when not forced */
  forced_red: string[];
  expansion_opportunity: boolean;
  upgrade_required: boolean;
  /** why each flag is set */
  flags: string[];
  components: ComponentScore[];
}

const isNoData = (value: unknown): value is NoData => typeof value === 'object' && value !== null && 'noData' in value;

export function subscriberTrendScore(changePct: number): number {
  if (changePct >= 2) return 100;
  if (changePct >= 0) return 75;
  if (changePct >= -2) return 50;
  if (changePct >= -5) return 25;
  return 0;
}

export function moduleAdoptionScore(modules: number): number {
  if (modules >= 5) return 100;
  if (modules === 4) return 80;
  if (modules === 3) return 60;
  if (modules === 2) return 40;
  return 20;
}

export function billingScore(daysOverdue: number, pastDue: boolean): number {
  if (pastDue || daysOverdue > 30) return 0;
  if (daysOverdue > 15) return 30;
  if (daysOverdue > 0) return 60;
  return 100;
}

/** No open P1/P2 with CSAT ≥ 4 (or none rated) → 100; none open but CSAT below 4 → 60, as 1–2 open. */
export function supportScore(openP1P2: number, csat: number | null): number {
  if (openP1P2 >= 3) return 20;
  if (openP1P2 >= 1) return 60;
  return csat === null || csat >= 4 ? 100 : 60;
}

/** Healthy with uptime ≥ 99.9 % → 100; healthy below that uptime counts as degraded. */
export function platformScore(status: 'healthy' | 'degraded' | 'unhealthy', uptimePct: number | null): number {
  if (status === 'unhealthy') return 0;
  if (status === 'healthy' && (uptimePct === null || uptimePct >= 99.9)) return 100;
  return 50;
}

export function sentimentScore(lastNps: number | null): number {
  if (lastNps === null) return 50;
  if (lastNps >= 9) return 100;
  if (lastNps >= 7) return 70;
  return 20;
}

export function bandOf(score: number): HealthBand {
  if (score >= 70) return 'green';
  if (score >= 50) return 'yellow';
  return 'red';
}

/**
 * A component the platform holds no data for (no invoices or tickets recorded yet, never probed)
 * scores 50, as COMMERCE.md scores sentiment without an NPS: neutral, neither rewarding nor
 * punishing what is unknown, and the formula stays Σ weight × score / 100 with every weight.
 */
export const NO_DATA_SCORE = 50;

/** round-half-up(Σ weight × score / 100), in integers (weights sum to 100). */
export function weightedScore(parts: readonly { weight: number; score: number }[]): number {
  let num = 0;
  for (const p of parts) num += p.weight * p.score;
  return Math.floor((2 * num + 100) / 200);
}

export function scoreHealth(inputs: HealthInputs): HealthScore {
  const components: ComponentScore[] = [];
  const add = (component: HealthComponent, score: number | null, input: ComponentScore['input'], reason: string) =>
    components.push({ component, weight: COMPONENT_WEIGHTS[component], score: score ?? NO_DATA_SCORE, no_data: score === null, input, reason });

  const trend = inputs.subscriberTrend;
  if (isNoData(trend)) add('subscriber_trend', null, {}, `no data: ${trend.noData}`);
  else {
    const s = subscriberTrendScore(trend.changePct);
    add('subscriber_trend', s, { change_pct: round2(trend.changePct), from: trend.from, to: trend.to }, `subscribers ${trend.from} → ${trend.to} in 30 days (${signed(trend.changePct)} %) → ${s}`);
  }

  const modules = inputs.moduleAdoption;
  if (isNoData(modules)) add('module_adoption', null, {}, `no data: ${modules.noData}`);
  else {
    const s = moduleAdoptionScore(modules.modulesInUse);
    add('module_adoption', s, { modules_in_use: modules.modulesInUse }, `${modules.modulesInUse} module${modules.modulesInUse === 1 ? '' : 's'} in use → ${s}`);
  }

  const billing = inputs.billing;
  if (isNoData(billing)) add('billing', null, {}, `no data: ${billing.noData}`);
  else {
    const s = billingScore(billing.daysOverdue, billing.pastDue);
    const what = billing.pastDue ? 'subscription past due' : billing.daysOverdue > 0 ? `oldest unpaid invoice ${billing.daysOverdue} days overdue` : 'current';
    add('billing', s, { days_overdue: billing.daysOverdue, past_due: billing.pastDue }, `${what} → ${s}`);
  }

  const support = inputs.support;
  if (isNoData(support)) add('support', null, {}, `no data: ${support.noData}`);
  else {
    const s = supportScore(support.openP1P2, support.csat);
    add('support', s, { open_p1_p2: support.openP1P2, csat: support.csat }, `${support.openP1P2} open P1/P2, CSAT ${support.csat ?? 'not rated'} → ${s}`);
  }

  const platform = inputs.platform;
  if (isNoData(platform)) add('platform', null, {}, `no data: ${platform.noData}`);
  else {
    const s = platformScore(platform.status, platform.uptimePct);
    add('platform', s, { status: platform.status, uptime_pct: platform.uptimePct }, `${platform.status}, uptime ${platform.uptimePct ?? 'unknown'} % over 7 days → ${s}`);
  }

  const nps = inputs.sentiment.lastNps;
  const sentiment = sentimentScore(nps);
  add('sentiment', sentiment, { last_nps: nps }, `${nps === null ? 'no NPS in 180 days' : `last NPS ${nps}`} → ${sentiment}`);

  const score = weightedScore(components);
  const forced: string[] = [];
  if (!isNoData(billing) && billing.daysOverdue > 30) forced.push(`an invoice is ${billing.daysOverdue} days overdue (over 30)`);
  if (!isNoData(platform) && platform.status === 'unhealthy' && platform.unhealthyHours > 24) forced.push(`the deployment has been unhealthy for ${Math.floor(platform.unhealthyHours)} hours (over 24)`);
  if (inputs.cancellationRequested === true) forced.push('a cancellation was requested');

  const flags: string[] = [];
  const near = inputs.metered.filter((m) => m.limit > 0 && m.used * 100 >= 80 * m.limit);
  const expansion = forced.length === 0 && score >= 70 && near.length > 0;
  if (expansion) for (const m of near) flags.push(`expansion_opportunity: ${m.name} ${m.used} of ${m.limit} (${percentOf(m.used, m.limit)} %, at least 80 %) with health ${score}`);
  let upgrade = false;
  for (const m of inputs.metered) {
    if (m.limit > 0 && m.used * 100 >= 95 * m.limit) {
      upgrade = true;
      flags.push(`upgrade_required: ${m.name} ${m.used} of ${m.limit} (${percentOf(m.used, m.limit)} %, at least 95 %)`);
    }
  }
  if (inputs.overageMonths !== null && inputs.overageMonths >= 2) {
    upgrade = true;
    flags.push(`upgrade_required: ${inputs.overageMonths} months of overage`);
  }

  return { score, band: forced.length > 0 ? 'red' : bandOf(score), forced_red: forced, expansion_opportunity: expansion, upgrade_required: upgrade, flags, components };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function signed(n: number): string {
  const r = round2(n);
  return r > 0 ? `+${r}` : String(r);
}

function percentOf(used: number, limit: number): number {
  return Math.floor((used * 100) / limit);
}
