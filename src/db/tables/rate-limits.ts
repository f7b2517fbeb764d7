export interface RateLimitsTable {
  bucket: string;
  window_start: number;
  count: number;
}
