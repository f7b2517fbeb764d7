import { z } from '@hono/zod-openapi';
import { humanText } from '../../human-text.js';
import { pageOf, PageQuery } from '../../routing.js';
import { MAX_CSS_BYTES, utf8Bytes } from './css.js';

/** The fields of a tenant's branding, in the order people read them. */
export const BRANDING_FIELDS = ['company_name', 'primary_color', 'secondary_color', 'logo_url', 'support_email', 'custom_css'] as const;
export type BrandingField = (typeof BRANDING_FIELDS)[number];

/** The fields that need the white-label add-on (or the enterprise plan); support_email never does. */
export const WHITE_LABEL_FIELDS: readonly BrandingField[] = ['company_name', 'primary_color', 'secondary_color', 'logo_url', 'custom_css'];

const color = z
  .string()
  .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'a colour as #rgb or #rrggbb (hex digits)')
  .transform((value) => value.toLowerCase())
  .openapi({ example: '#0a66c2' });

/**
 * Where a portal loads the logo from: https only, a host, no credentials, and only the characters
 * RFC 3986 allows unencoded, less quotes and parentheses (so the URL stays one token wherever it is
 * pasted: an HTML attribute, a CSS url()). Internationalised hosts are written in punycode.
 */
const logoUrl = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z0-9\-._~:/?#[\]@!$&*+,;=%]*$/, 'an https:// URL of printable ASCII without spaces, quotes, parentheses or backslashes (percent-encode the rest)')
  .superRefine((value, issues) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      issues.addIssue({ code: 'custom', message: 'an https:// URL' });
      return;
    }
    if (url.protocol !== 'https:' || !/^https:\/\//i.test(value)) issues.addIssue({ code: 'custom', message: `an https:// URL (not ${url.protocol})` });
    else if (url.username !== '' || url.password !== '' || /@/.test(value.slice(8).split(/[/?#]/)[0]!)) issues.addIssue({ code: 'custom', message: 'an https:// URL without credentials (user:password@)' });
    else if (url.hostname === '') issues.addIssue({ code: 'custom', message: 'an https:// URL with a host' });
  })
  .openapi({ example: 'https://cdn.fibernet.example/logo.svg' });

const customCss = z
  .string()
  .refine((css) => utf8Bytes(css) <= MAX_CSS_BYTES, `at most ${MAX_CSS_BYTES} bytes (UTF-8)`)
  .openapi({ description: `CSS of at most ${MAX_CSS_BYTES} UTF-8 bytes; stored sanitised (see \`stripped\` in the answer)` });

const fields = {
  company_name: humanText(200).min(1),
  primary_color: color,
  secondary_color: color,
  logo_url: logoUrl,
  support_email: z.email().max(254),
  custom_css: customCss,
};

export const BrandingValuesSchema = z.strictObject({
  company_name: z.string().nullable(),
  primary_color: z.string().nullable().openapi({ description: '#rgb or #rrggbb, lower case' }),
  secondary_color: z.string().nullable(),
  logo_url: z.string().nullable(),
  support_email: z.string().nullable(),
  custom_css: z.string().nullable().openapi({ description: 'the sanitised CSS' }),
});

export const BrandingSchema = BrandingValuesSchema.extend({
  tenant_id: z.string(),
  tenant_slug: z.string(),
  version: z.number().int().openapi({ description: 'the current version; 0 before the first change' }),
  white_label: z.boolean().openapi({
    description: 'whether the tenant holds white-label now (the add-on, or a plan that includes it): show company_name, the colours, the logo and the CSS only when true',
  }),
  updated_at: z.string().nullable(),
}).openapi('Branding');

export const StrippedSchema = z.strictObject({
  construct: z.string().openapi({ example: '@import' }),
  line: z.number().int().openapi({ description: 'the line of the given CSS where the dropped statement starts' }),
});

export const BrandingChangeSchema = BrandingSchema.extend({
  changes: z.array(z.enum(BRANDING_FIELDS)).openapi({ description: 'the fields this change wrote (none when unchanged)' }),
  stripped: z.array(StrippedSchema).openapi({ description: 'what sanitising took out of the given custom_css: each dropped statement, by construct and line' }),
}).openapi('BrandingChange');

export const BrandingVersionSchema = z
  .strictObject({
    version: z.number().int(),
    action: z.enum(['set', 'rollback']),
    restored_from: z.number().int().nullable(),
    actor: z.string(),
    created_at: z.string(),
    changes: z.array(z.enum(BRANDING_FIELDS)),
  })
  .openapi('BrandingVersion');

export const BrandingVersionPageSchema = pageOf(BrandingVersionSchema, 'BrandingVersionPage');
export const BrandingVersionQuery = z.object({ ...PageQuery });

export const BrandingVersionParam = z.object({
  ref: z.string().min(1).max(100).openapi({ param: { name: 'ref', in: 'path' }, description: 'tenant id or slug' }),
  version: z.coerce.number().int().min(1).max(1_000_000_000).openapi({ param: { name: 'version', in: 'path' }, type: 'integer' }),
});

export const BrandingIfMatchHeader = z.object({
  'if-match': z.string().max(40).optional().openapi({ description: 'the branding version the change expects, e.g. "3": a stale one is 409 and changes nothing' }),
});

export const ChangeBrandingBody = z
  .strictObject({
    company_name: fields.company_name.nullable().optional(),
    primary_color: fields.primary_color.nullable().optional(),
    secondary_color: fields.secondary_color.nullable().optional(),
    logo_url: fields.logo_url.nullable().optional(),
    support_email: fields.support_email.nullable().optional(),
    custom_css: fields.custom_css.nullable().optional(),
  })
  .openapi('ChangeBranding', { description: 'the fields to write; null clears one, a field left out keeps its value' });

export type BrandingValues = z.infer<typeof BrandingValuesSchema>;
export type Branding = z.infer<typeof BrandingSchema>;
export type BrandingChange = z.infer<typeof BrandingChangeSchema>;
export type BrandingVersion = z.infer<typeof BrandingVersionSchema>;
export type ChangeBrandingInput = z.infer<typeof ChangeBrandingBody>;
