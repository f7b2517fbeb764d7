import { z } from '@hono/zod-openapi';
import { closestMatch } from '../../../core/distance.js';
import { CONFIG_CATEGORIES, type ConfigCategory } from '../../../db/tables/configurations.js';
import { humanText } from '../../human-text.js';
import { nestedDeeperThan, tooDeep } from './nesting.js';

/**
 * The known configuration keys: each validated by its schema. A secret key is masked in every
 * answer whether or not the writer said --secret; a platform-owned key is written by master_admin
 * only. Other keys of a known category are free JSON, unless their name is one edit or two from a
 * known key (then it is refused as a likely typo, with the suggestion).
 */
export interface KnownKey {
  schema: z.ZodType;
  /** what a value must be, for people */
  describe: string;
  secret?: boolean;
  platform?: boolean;
}

const hostname = z.string().max(253).regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i, 'a host name');
const port = z.number().int().min(1).max(65535);
const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const httpsUrl = z.url({ protocol: /^https$/ }).max(2000);
const secretText = z.string().min(8).max(512);
const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');

export const KNOWN_KEYS: Record<string, KnownKey> = {
  'network.radius_secret': { schema: secretText, describe: 'a string of 8–512 characters', secret: true },
  'network.radius_host': { schema: hostname, describe: 'a host name' },
  'network.radius_port': { schema: port, describe: 'an integer port, 1–65535' },
  'network.dns_servers': { schema: z.array(z.string().regex(ipv4)).min(1).max(4), describe: 'a list of 1–4 IPv4 addresses' },
  'network.max_subscribers': { schema: z.number().int().min(1).max(10_000_000), describe: 'an integer, 1–10000000', platform: true },
  'billing.currency': {
    schema: z.string().refine((code) => CURRENCIES.includes(code), 'an ISO-4217 currency code'),
    describe: 'an ISO-4217 currency code in capitals, e.g. "USD"',
  },
  'billing.tax_rate_bps': { schema: z.number().int().min(0).max(10_000), describe: 'an integer in basis points, 0–10000' },
  'billing.invoice_due_days': { schema: z.number().int().min(0).max(120), describe: 'an integer, 0–120' },
  'billing.gateway_api_key': { schema: secretText, describe: 'a string of 8–512 characters', secret: true },
  'notifications.smtp_host': { schema: hostname, describe: 'a host name' },
  'notifications.smtp_port': { schema: port, describe: 'an integer port, 1–65535' },
  'notifications.smtp_password': { schema: z.string().min(1).max(512), describe: 'a string of 1–512 characters', secret: true },
  'notifications.from_email': { schema: z.email().max(254), describe: 'an email address' },
  'security.session_timeout_minutes': { schema: z.number().int().min(5).max(1440), describe: 'an integer, 5–1440' },
  'security.mfa_required': { schema: z.boolean(), describe: 'true or false' },
  'security.password_min_length': { schema: z.number().int().min(8).max(128), describe: 'an integer, 8–128' },
  'integrations.webhook_url': { schema: httpsUrl, describe: 'an https:// URL' },
  // what customer health counts as module adoption (the number of distinct names)
  'integrations.modules_in_use': {
    schema: z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,49}$/)).max(50),
    describe: 'a list of up to 50 module names (lower case), e.g. ["billing","radius","crm"]',
  },
  'integrations.webhook_secret': { schema: secretText, describe: 'a string of 8–512 characters', secret: true },
  'branding.company_name': { schema: humanText(200).min(1), describe: 'text of 1–200 characters without control characters' },
  'branding.primary_color': { schema: z.string().regex(/^#[0-9a-f]{6}$/i), describe: 'a colour as #rrggbb' },
  'branding.logo_url': { schema: httpsUrl, describe: 'an https:// URL' },
};

export const KEY_PATTERN = /^([a-z]+)\.([a-z][a-z0-9_]{0,62})$/;
/** A value as JSON text may be at most this long. */
export const MAX_VALUE_BYTES = 16_384;

export type KeyProblem = { kind: 'invalid' | 'forbidden'; message: string };

export function categoryOf(key: string): ConfigCategory {
  return key.slice(0, key.indexOf('.')) as ConfigCategory;
}

export const isSecretKey = (key: string): boolean => KNOWN_KEYS[key]?.secret === true;
export const isPlatformKey = (key: string): boolean => KNOWN_KEYS[key]?.platform === true;

/** Whether a key may be named at all: `category.name` of a known category, and not a likely typo of a known key. */
export function checkKeyName(key: string): KeyProblem | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return { kind: 'invalid', message: `"${printable(key)}" is not a configuration key: write category.name, e.g. billing.currency (lower case, digits, _)` };
  if (!(CONFIG_CATEGORIES as readonly string[]).includes(match[1]!)) {
    const near = closestMatch(match[1]!, CONFIG_CATEGORIES);
    return { kind: 'invalid', message: `unknown category "${match[1]}" in ${key}${near ? `; did you mean "${near}"?` : ''} (categories: ${CONFIG_CATEGORIES.join(', ')})` };
  }
  if (!KNOWN_KEYS[key]) {
    const near = closestMatch(key, Object.keys(KNOWN_KEYS).filter((known) => categoryOf(known) === match[1]));
    if (near) return { kind: 'invalid', message: `unknown key ${key}; did you mean ${near}?` };
  }
  return null;
}

/** A value for a key: its known schema, or for other keys any JSON; no NUL anywhere, at most MAX_VALUE_BYTES, nested at most MAX_VALUE_DEPTH. */
export function checkValue(key: string, value: unknown): KeyProblem | null {
  if (value === undefined) return { kind: 'invalid', message: `${key} has no value` };
  // first: every check below walks the value recursively
  if (nestedDeeperThan(value)) return { kind: 'invalid', message: tooDeep(key) };
  const text = JSON.stringify(value);
  if (text.length > MAX_VALUE_BYTES) return { kind: 'invalid', message: `${key} is longer than ${MAX_VALUE_BYTES} characters as JSON` };
  if (/\\u0000/.test(text)) return { kind: 'invalid', message: `${key} must not contain NUL characters` };
  const known = KNOWN_KEYS[key];
  if (known && !known.schema.safeParse(value).success) return { kind: 'invalid', message: `${key} must be ${known.describe}` };
  return null;
}

/** A key quoted in a message: control characters written out, so the message itself stays printable. */
function printable(text: string): string {
  return JSON.stringify(text.slice(0, 80)).slice(1, -1);
}
