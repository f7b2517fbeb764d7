import { ulid } from '../../core/ids.js';
import { TENANT_PLANS, type NewTenantRow, type TenantPlan, type TenantStatus } from '../../db/tables/tenants.js';
import type { NewResellerRow, ResellerTier } from '../../db/tables/resellers.js';

/** mulberry32: a small seeded PRNG, so the same --tenants N makes the same workspace. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIXES = ['Fiber', 'Wave', 'Sky', 'Metro', 'Rural', 'Swift', 'Blue', 'Summit', 'Valley', 'Coast', 'River', 'Prairie', 'Harbor', 'Pine', 'Iron', 'Delta'];
const SUFFIXES = ['Net', 'Link', 'Connect', 'Broadband', 'Wireless', 'Telecom', 'Online', 'Fiber', 'Air', 'Stream'];
const PLACES = ['Nairobi', 'Lagos', 'Accra', 'Lisbon', 'Porto', 'Austin', 'Denver', 'Leeds', 'Cork', 'Gdansk', 'Manila', 'Cebu', 'Kampala', 'Durban', 'Quito', 'Tulsa'];
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'af-south', 'ap-southeast'];
const TERRITORIES = ['East Africa', 'West Africa', 'Iberia', 'US Midwest', 'US South', 'UK & Ireland', 'Baltics', 'Philippines'];
const TIERS: ResellerTier[] = ['bronze', 'silver', 'gold', 'platinum'];

const STATUS_WEIGHTS: [TenantStatus, number][] = [
  ['active', 0.7],
  ['suspended', 0.08],
  ['pending', 0.06],
  ['provisioning', 0.04],
  ['cancelled', 0.12],
];
const PLAN_WEIGHTS: [TenantPlan, number][] = [
  ['starter', 0.5],
  ['professional', 0.35],
  ['enterprise', 0.15],
];

function pick<T>(rand: () => number, weights: [T, number][]): T {
  let r = rand();
  for (const [value, weight] of weights) {
    r -= weight;
    if (r < 0) return value;
  }
  return weights.at(-1)![0];
}

const slugify = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export interface DemoData {
  resellers: NewResellerRow[];
  tenants: NewTenantRow[];
}

/**
 * Realistic demo data: resellers across territories, and tenants in every status and plan,
 * about two thirds sold through resellers. Creation times spread over the two years before `now`.
 */
export function generateDemoData(tenantCount: number, now: Date, seed = 42): DemoData {
  const rand = random(seed);
  const resellerCount = Math.min(200, Math.max(3, Math.round(tenantCount / 200)));
  const start = now.getTime() - 2 * 365 * 24 * 3600 * 1000;
  const resellers: NewResellerRow[] = [];
  for (let i = 0; i < resellerCount; i++) {
    const territory = TERRITORIES[i % TERRITORIES.length]!;
    const name = `${PREFIXES[i % PREFIXES.length]} ${['Partners', 'Solutions', 'Channel', 'Networks'][i % 4]}${i >= PREFIXES.length ? ` ${Math.floor(i / PREFIXES.length) + 1}` : ''}`;
    const at = new Date(start + i * 60_000).toISOString();
    resellers.push({ id: `res_${ulid(start + i * 60_000)}`, slug: slugify(name), name, territory, tier: TIERS[Math.floor(rand() * TIERS.length)]!, tier_source: 'manual', created_at: at, updated_at: at });
  }
  const tenants: NewTenantRow[] = [];
  const span = now.getTime() - start - resellerCount * 60_000;
  const used = new Set<string>();
  for (let i = 0; i < tenantCount; i++) {
    const base = `${PREFIXES[Math.floor(rand() * PREFIXES.length)]}${SUFFIXES[Math.floor(rand() * SUFFIXES.length)]} ${PLACES[Math.floor(rand() * PLACES.length)]}`;
    let slug = slugify(base);
    if (used.has(slug)) slug = `${slug}-${i + 1}`;
    used.add(slug);
    const createdMs = start + resellerCount * 60_000 + Math.floor((span * i) / Math.max(1, tenantCount));
    const at = new Date(createdMs).toISOString();
    const owned = rand() < 0.65;
    const plan = pick(rand, PLAN_WEIGHTS);
    tenants.push({
      id: `ten_${ulid(createdMs)}`,
      slug,
      name: base,
      status: pick(rand, STATUS_WEIGHTS),
      plan: TENANT_PLANS.includes(plan) ? plan : 'starter',
      region: REGIONS[Math.floor(rand() * REGIONS.length)]!,
      reseller_id: owned ? resellers[Math.floor(rand() * resellers.length)]!.id : null,
      contact_email: `noc@${slug}.example`,
      created_at: at,
      updated_at: at,
      version: 1,
    });
  }
  return { resellers, tenants };
}
