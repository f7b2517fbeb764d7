import type { z } from '@hono/zod-openapi';
import type { AuditEventSchema, ChainCheckSchema } from '../server/modules/audit/schema.js';
import type { CompleteTrainingBody, CreateResellerBody, ResellerKpisListSchema, ResellerKpisSchema, ResellerSchema, TrainingSchema, UpdateResellerBody } from '../server/modules/resellers/schema.js';
import type { CommissionExplanationSchema, CommissionRuleSchema, CommissionRunSchema, CommissionSchema, CreateCommissionRuleBody } from '../server/modules/commissions/schema.js';
import type { PayoutDetailSchema, PayoutRunSchema, PayoutSchema, StatementSchema } from '../server/modules/payouts/schema.js';
import type { CreateTenantBody, TenantSchema, UpdateTenantBody } from '../server/modules/tenants/schema.js';
import type { CreateTokenBody, IssuedTokenSchema, MeSchema, TokenSchema } from '../server/modules/tokens/schema.js';
import type { BrandingChangeSchema, BrandingSchema, BrandingVersionSchema, ChangeBrandingBody } from '../server/modules/branding/schema.js';
import type { ApplyConfigsBody, ChangeConfigsBody, ConfigChangeSchema, ConfigDeltaSchema, ConfigEntrySchema, ConfigPlanSchema, ConfigurationSchema, ConfigVersionSchema } from '../server/modules/configs/schema.js';
import type { BackupContentSchema, BackupScheduleSchema, BackupSchema, BackupVerificationSchema, RestoreResultSchema, SetBackupScheduleBody } from '../server/modules/backups/schema.js';
import type { MasterOverviewSchema, OverviewSchema, ResellerOverviewSchema, SubscribersByPlanSchema, TenantOverviewSchema, TicketsByRegionSchema, UptimeByRegionSchema } from '../server/modules/analytics/schema.js';
import type { CreateDeploymentBody, DeploymentEventSchema, DeploymentEventsSchema, DeploymentListItemSchema, DeploymentSchema, ScaleBody, ScalePlanSchema } from '../server/modules/deployments/schema.js';
import type { JobPageSchema, JobSchema } from '../server/modules/jobs/schema.js';
import type { HealthListSchema, HealthSummarySchema, ProbeResultsSchema, PushedMetricsSchema, PushMetricsBody, TenantHealthSchema } from '../server/modules/health/schema.js';

import type { AcceptInviteBody, InvitationSchema, InviteTenantUserBody, TenantUserSchema } from '../server/modules/tenant-users/schema.js';
import type { AssignTerritoryBody, CreateTerritoryBody, TerritoryListSchema, TerritorySchema } from '../server/modules/territories/schema.js';
import type { CreateOpportunityBody, MoveOpportunityBody, OpportunityDetailSchema, OpportunityPageSchema, OpportunitySchema } from '../server/modules/pipeline/schema.js';
import type { CustomerHealthListSchema, CustomerHealthSchema, NpsResponseSchema, RecordNpsBody } from '../server/modules/customers/schema.js';
import type { PlanListSchema, PriceBookSchema, PublishedPriceBookSchema } from '../server/modules/pricebook/schema.js';
import type { ChangePlanBody, CreateSubscriptionBody, SubscriptionChangeSchema, SubscriptionCreatedSchema, SubscriptionSchema } from '../server/modules/subscriptions/schema.js';
import type { BillingRunSchema, InvoiceDetailSchema, InvoiceSchema } from '../server/modules/invoices/schema.js';
import type { RecordedUsageSchema, RecordUsageBody, UsageListSchema } from '../server/modules/usage/schema.js';
import type { AcceptQuoteBody, CreateQuoteBody, PreviewQuoteBody, QuotePageSchema, QuotePricingSchema, QuoteSchema, UpdateQuoteBody } from '../server/modules/quotes/schema.js';
import type { OnboardingSchema, OnboardTenantBody } from '../server/modules/onboarding/schema.js';
import type { CreateTicketBody, SlaCheckResultSchema, TicketDetailSchema, TicketListQuery, TicketSchema } from '../server/modules/tickets/schema.js';
import type { CreateFlagBody, FeatureFlagListSchema, FeatureFlagSchema, FlagEvaluationSchema, SetFlagBody } from '../server/modules/flags/schema.js';

// Types only: the contract is written once, in the server's schemas, and erased at run time.
export type Tenant = z.infer<typeof TenantSchema>;
export type CreateTenant = z.input<typeof CreateTenantBody>;
export type UpdateTenant = z.input<typeof UpdateTenantBody>;
export type Reseller = z.infer<typeof ResellerSchema>;
export type CreateReseller = z.input<typeof CreateResellerBody>;
export type UpdateReseller = z.input<typeof UpdateResellerBody>;
export type ResellerTraining = z.infer<typeof TrainingSchema>;
export type ResellerKpis = z.infer<typeof ResellerKpisSchema>;
export type ResellerKpisList = z.infer<typeof ResellerKpisListSchema>;
export type CompleteTraining = z.input<typeof CompleteTrainingBody>;
export type CommissionRule = z.infer<typeof CommissionRuleSchema>;
export type CreateCommissionRule = z.input<typeof CreateCommissionRuleBody>;
export type Commission = z.infer<typeof CommissionSchema>;
export type CommissionExplanation = z.infer<typeof CommissionExplanationSchema>;
export type CommissionRun = z.infer<typeof CommissionRunSchema>;
export type Payout = z.infer<typeof PayoutSchema>;
export type PayoutDetail = z.infer<typeof PayoutDetailSchema>;
export type PayoutRun = z.infer<typeof PayoutRunSchema>;
export type CommissionStatement = z.infer<typeof StatementSchema>;
export type Token = z.infer<typeof TokenSchema>;
export type IssuedToken = z.infer<typeof IssuedTokenSchema>;
export type CreateToken = z.input<typeof CreateTokenBody>;
export type Me = z.infer<typeof MeSchema>;
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type ChainCheck = z.infer<typeof ChainCheckSchema>;
export type Overview = z.infer<typeof OverviewSchema>;
export type MasterOverview = z.infer<typeof MasterOverviewSchema>;
export type TenantOverview = z.infer<typeof TenantOverviewSchema>;
export type ResellerOverview = z.infer<typeof ResellerOverviewSchema>;
export type SubscribersByPlan = z.infer<typeof SubscribersByPlanSchema>;
export type UptimeByRegion = z.infer<typeof UptimeByRegionSchema>;
export type TicketsByRegion = z.infer<typeof TicketsByRegionSchema>;
export type DistributionName = 'subscribers-by-plan' | 'uptime-by-region' | 'tickets-by-region';
export type Distribution<N extends DistributionName> = N extends 'subscribers-by-plan' ? SubscribersByPlan : N extends 'uptime-by-region' ? UptimeByRegion : TicketsByRegion;
export type Configuration = z.infer<typeof ConfigurationSchema>;
export type ConfigEntry = z.infer<typeof ConfigEntrySchema>;
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;
export type ConfigPlan = z.infer<typeof ConfigPlanSchema>;
export type ConfigDelta = z.infer<typeof ConfigDeltaSchema>;
export type ConfigVersion = z.infer<typeof ConfigVersionSchema>;
export type ChangeConfigs = z.input<typeof ChangeConfigsBody>;
export type ApplyConfigs = z.input<typeof ApplyConfigsBody>;
export type Branding = z.infer<typeof BrandingSchema>;
export type BrandingChange = z.infer<typeof BrandingChangeSchema>;
export type BrandingVersion = z.infer<typeof BrandingVersionSchema>;
export type ChangeBranding = z.input<typeof ChangeBrandingBody>;
export type Backup = z.infer<typeof BackupSchema>;
export type BackupVerification = z.infer<typeof BackupVerificationSchema>;
export type BackupContent = z.infer<typeof BackupContentSchema>;
export type RestoreResult = z.infer<typeof RestoreResultSchema>;
export type BackupSchedule = z.infer<typeof BackupScheduleSchema>;
export type SetBackupSchedule = z.input<typeof SetBackupScheduleBody>;
export type Deployment = z.infer<typeof DeploymentSchema>;
export type DeploymentListItem = z.infer<typeof DeploymentListItemSchema>;
export type DeploymentEvent = z.infer<typeof DeploymentEventSchema>;
export type DeploymentEvents = z.infer<typeof DeploymentEventsSchema>;
export type CreateDeployment = z.input<typeof CreateDeploymentBody>;
export type ScaleTenant = z.input<typeof ScaleBody>;
export type ScalePlan = z.infer<typeof ScalePlanSchema>;
export type Job = z.infer<typeof JobSchema>;
export type JobSummary = z.infer<typeof JobPageSchema>['data'][number];
export type HealthSummary = z.infer<typeof HealthSummarySchema>;
export type HealthList = z.infer<typeof HealthListSchema>;
export type TenantHealth = z.infer<typeof TenantHealthSchema>;
export type ProbeResults = z.infer<typeof ProbeResultsSchema>;
export type PushMetrics = z.input<typeof PushMetricsBody>;
export type PushedMetrics = z.infer<typeof PushedMetricsSchema>;
export type PriceBook = z.infer<typeof PriceBookSchema>;
export type PublishedPriceBook = z.infer<typeof PublishedPriceBookSchema>;
export type PlanList = z.infer<typeof PlanListSchema>;
export type Subscription = z.infer<typeof SubscriptionSchema>;
export type SubscriptionCreated = z.infer<typeof SubscriptionCreatedSchema>;
export type SubscriptionChange = z.infer<typeof SubscriptionChangeSchema>;
export type CreateSubscription = z.input<typeof CreateSubscriptionBody>;
export type ChangePlan = z.input<typeof ChangePlanBody>;
export type Invoice = z.infer<typeof InvoiceSchema>;
export type InvoiceDetail = z.infer<typeof InvoiceDetailSchema>;
export type BillingRun = z.infer<typeof BillingRunSchema>;
export type RecordUsage = z.input<typeof RecordUsageBody>;
export type RecordedUsage = z.infer<typeof RecordedUsageSchema>;
export type UsageList = z.infer<typeof UsageListSchema>;

export type Territory = z.infer<typeof TerritorySchema>;
export type TerritoryList = z.infer<typeof TerritoryListSchema>;
export type CreateTerritory = z.input<typeof CreateTerritoryBody>;
export type AssignTerritory = z.input<typeof AssignTerritoryBody>;
export type Opportunity = z.infer<typeof OpportunitySchema>;
export type OpportunityDetail = z.infer<typeof OpportunityDetailSchema>;
export type OpportunityPage = z.infer<typeof OpportunityPageSchema>;
export type CreateOpportunity = z.input<typeof CreateOpportunityBody>;
export type MoveOpportunity = z.input<typeof MoveOpportunityBody>;
export type CustomerHealth = z.infer<typeof CustomerHealthSchema>;
export type CustomerHealthList = z.infer<typeof CustomerHealthListSchema>;
export type NpsResponse = z.infer<typeof NpsResponseSchema>;
export type RecordNps = z.input<typeof RecordNpsBody>;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface PageParams {
  limit?: number;
  cursor?: string;
}

export interface TenantFilter extends PageParams {
  status?: string;
  plan?: string;
  reseller?: string;
  q?: string;
}
export type Quote = z.infer<typeof QuoteSchema>;
export type QuoteSummary = z.infer<typeof QuotePageSchema>['data'][number];
export type QuotePricing = z.infer<typeof QuotePricingSchema>;
export type CreateQuote = z.input<typeof CreateQuoteBody>;
export type UpdateQuote = z.input<typeof UpdateQuoteBody>;
export type PreviewQuote = z.input<typeof PreviewQuoteBody>;
export type AcceptQuote = z.input<typeof AcceptQuoteBody>;
export type Onboarding = z.infer<typeof OnboardingSchema>;
export type OnboardTenant = z.input<typeof OnboardTenantBody>;
export type AcceptedQuote = Quote & { onboarding: Onboarding };
export interface QuoteFilter extends PageParams {
  status?: Quote['status'];
  number?: string;
  /** text in the number, the prospect, the customer's or the reseller's slug */
  q?: string;
}

export type Ticket = z.infer<typeof TicketSchema>;
export type TicketDetail = z.infer<typeof TicketDetailSchema>;
export type CreateTicket = z.input<typeof CreateTicketBody>;
export type TicketFilter = Partial<Omit<z.input<typeof TicketListQuery>, 'limit'>> & { limit?: number };
export type SlaCheckResult = z.infer<typeof SlaCheckResultSchema>;
export type FeatureFlag = z.infer<typeof FeatureFlagSchema>;
export type FeatureFlagList = z.infer<typeof FeatureFlagListSchema>;
export type CreateFeatureFlag = z.input<typeof CreateFlagBody>;
export type SetFeatureFlag = z.input<typeof SetFlagBody>;
export type FlagEvaluation = z.infer<typeof FlagEvaluationSchema>;
export type TenantUser = z.infer<typeof TenantUserSchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type InviteTenantUser = z.input<typeof InviteTenantUserBody>;
export type AcceptInvite = z.input<typeof AcceptInviteBody>;
export interface TenantUserFilter extends PageParams {
  status?: TenantUser['status'];
  role?: TenantUser['role'];
}
