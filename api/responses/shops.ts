import { z } from 'zod';

/** What the shop and alert routes answer (OpenAPI and the web UI's types). */

const at = z.string().describe('ISO 8601 date-time');

/** The shop sync workflow's live `state` query. */
const ShopSyncStateSchema = z.object({
  shopId: z.string(),
  platform: z.string().nullable(),
  activity: z.enum(['starting', 'polling', 'fetching', 'waiting', 'retrying', 'paused', 'stopping']),
  cursor: at.nullable(),
  refundCursor: at.nullable().optional(),
  pollIntervalSeconds: z.number().nullable(),
  nextPollAt: at.nullable(),
  pendingFetches: z.number(),
  lastRound: z.unknown(),
  consecutiveFailures: z.number(),
  lastError: z.object({ message: z.string(), type: z.string().nullable(), at }).nullable(),
  paused: z.object({ kind: z.string(), message: z.string(), since: at }).nullable(),
  totals: z.object({ polls: z.number(), submitted: z.number(), fetched: z.number() }),
  pollsThisRun: z.number(),
});

export const ShopView = z.object({
  id: z.string(),
  platform: z.string(),
  name: z.string(),
  platformShopId: z.string(),
  baseUrl: z.string().nullable(),
  /** Credentials are write-only: only whether some are stored. */
  hasCredentials: z.boolean(),
  pollIntervalSeconds: z.number(),
  syncEnabled: z.boolean(),
  /** False for own stores: they push, there is nothing to poll. */
  pullable: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  sync: z.object({
    workflowId: z.string(),
    cursor: at.nullable(),
    lastSyncedAt: at.nullable(),
    error: z.string().nullable(),
    /** The sync workflow's live state (one shop's detail only); null when it did not answer. */
    state: ShopSyncStateSchema.nullable().optional(),
  }),
  createdAt: at,
  updatedAt: at,
});

export const ShopCreated = ShopView.extend({
  /** An own store's generated webhook secret, shown this once. */
  webhookSecret: z.string().optional(),
});

export const ShopListResponse = z.object({ shops: z.array(ShopView) });

export const AlertListResponse = z.object({
  alerts: z.array(
    z.object({
      id: z.number(),
      shopId: z.string().nullable(),
      kind: z.string(),
      /** What the alert is about when not the shop as a whole: an after-sales case's id (return parcels). */
      subject: z.string().nullable(),
      message: z.string(),
      occurrences: z.number(),
      firstSeen: at,
      lastSeen: at,
      resolvedAt: at.nullable(),
      /**
       * How many alerts the row stands for: 1, or with `grouped=true` the open alerts of the shop
       * and kind about one thing each (one per case), this the newest of them.
       */
      groupSize: z.number(),
    }),
  ),
});
