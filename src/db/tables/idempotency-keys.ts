import type { Selectable } from 'kysely';

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  method: string;
  path: string;
  body_hash: string;
  status: number | null;
  response: string | null;
  created_at: string;
}

export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
