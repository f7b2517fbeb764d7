// Territories as pure rules: which regions a reseller may sell in, and where territories overlap.

/** A region code as tenants use them: lower case letters, digits and dashes, e.g. `us-east`. */
export const REGION_CODE = /^[a-z][a-z0-9-]{0,49}$/;

export function normaliseRegion(region: string): string {
  return region.trim().toLowerCase();
}

/**
 * Whether a reseller holding territories with `regions` may quote or open an opportunity in
 * `region`. A reseller with no territory may sell nowhere. Codes compare case-insensitively.
 */
export function regionAllowed(regions: readonly string[], region: string): boolean {
  const wanted = normaliseRegion(region);
  return regions.some((r) => normaliseRegion(r) === wanted);
}

export interface TerritoryRegions {
  id: string;
  name: string;
  regions: readonly string[];
}

export interface Overlap {
  territory: string;
  regions: string[];
}

/** For each territory (by id), the other territories sharing a region with it, and those regions; by name. */
export function overlapsOf(territories: readonly TerritoryRegions[]): Map<string, Overlap[]> {
  const out = new Map<string, Overlap[]>();
  for (const one of territories) {
    const mine = new Set(one.regions);
    const overlaps: Overlap[] = [];
    for (const other of territories) {
      if (other.id === one.id) continue;
      const shared = other.regions.filter((r) => mine.has(r)).sort();
      if (shared.length > 0) overlaps.push({ territory: other.name, regions: shared });
    }
    overlaps.sort((a, b) => a.territory.localeCompare(b.territory));
    out.set(one.id, overlaps);
  }
  return out;
}
