import { ApplicationFailure, Context } from '@temporalio/activity';
import { sql } from 'kysely';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { platformRefundMode } from '../../domain/after-sales.js';
import { amountToMinor, currencyExponent, formatMinor } from '../../domain/money.js';
import {
  createAmazonRefundFeeds,
  paymentAdjustmentFormat,
  refundReasonCode,
  refusedRows,
  renderPaymentAdjustmentFeed,
  type AmazonRefundFeeds,
  type PaymentAdjustmentRow,
} from '../../integrations/platforms/amazon/refund-feed.js';
import { openShop } from '../capture/shop-adapters.js';
import { failFastOnRefusal } from './failures.js';

/** A feed of the shop created this long before the case asked for its own may still be its (clock skew). */
const SKEW_MS = 2 * 60_000;

export type AmazonRefundSubmission =
  | { mode: 'person' }
  | { mode: 'feed'; feedId: string; rows: PaymentAdjustmentRow[]; resent: boolean }
  /** The case's feed cannot be told apart from another: a person looks in Seller Central. */
  | { mode: 'unsure'; message: string };

export type AmazonRefundResult =
  | {
      status: 'done';
      feedId: string;
      /** What the processing report took, in `currency`'s minor unit. */
      refundedMinor: number;
      currency: string;
      refused: Array<{ orderItemId: string; messages: string[] }>;
    }
  | { status: 'failed'; feedId: string; message: string };

/**
 * Amazon refunds by the payment adjustment feed (docs/platforms/amazon-returns.md, "Refunds by
 * feed"). Sending is once per case: the case's row in `amazon_refund_feeds` is written before the
 * feed is created and given the feed's id as soon as Amazon answers. A retried activity finds the
 * feed id there; one whose createFeed answer was lost finds the feed among the shop's payment
 * adjustment feeds created since it asked (`getFeeds`), the others' being claimed by their cases —
 * one unclaimed feed is the case's, none means Amazon never made it (sent again), several a person.
 * The shop's submissions go one at a time (an advisory lock), so two cases' lost answers never
 * meet in one window.
 */
export function createAmazonRefundActivities(deps: { db: Db; config: Config }) {
  const { db, config } = deps;

  const feedsOf = async (
    shopId: string,
  ): Promise<{ api: AmazonRefundFeeds; extra: Record<string, string> }> => {
    const { shop, options } = await openShop({ db, config }, shopId);
    const api = createAmazonRefundFeeds({
      shopId,
      platformShopId: shop.platformShopId,
      baseUrl: shop.baseUrl,
      credentials: shop.credentials,
      ...options,
    });
    return { api, extra: shop.credentials.extra ?? {} };
  };

  /** The case's lines as adjustment records: what each line asked, its tax share as item tax. */
  const rowsOf = async (
    caseId: string,
    orderId: string,
    platformOrderId: string,
    reason: string,
  ): Promise<PaymentAdjustmentRow[]> => {
    const order = await db
      .selectFrom('orders')
      .select(['currency', 'fx'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const fx = order.fx as { originalCurrency?: unknown } | null;
    const currency = typeof fx?.originalCurrency === 'string' ? fx.originalCurrency : order.currency;
    const lines = await db
      .selectFrom('after_sale_case_lines as c')
      .innerJoin('order_lines as l', (j) =>
        j.onRef('l.line_id', '=', 'c.line_id').on('l.order_id', '=', orderId),
      )
      .select([
        'c.line_id',
        'c.requested_fen',
        'l.quantity',
        'l.unit_price_fen',
        'l.discount_fen',
        'l.tax_fen',
      ])
      .where('c.case_id', '=', caseId)
      .orderBy('c.line_id')
      .execute();
    const digits = currencyExponent(currency);
    return lines
      .filter((l) => l.requested_fen > 0)
      .map((l) => {
        const paid = Math.max(0, l.unit_price_fen * l.quantity - l.discount_fen + l.tax_fen);
        const tax = paid > 0 ? Math.round((l.requested_fen * l.tax_fen) / paid) : 0;
        return {
          orderId: platformOrderId,
          orderItemId: l.line_id,
          reason,
          currency,
          itemPrice: formatMinor(l.requested_fen - tax, digits),
          ...(tax > 0 ? { itemTax: formatMinor(tax, digits) } : {}),
        };
      });
  };

  /** The shop's payment adjustment feeds made since `since` that no other case of the shop holds. */
  const unclaimedSince = async (api: AmazonRefundFeeds, shopId: string, caseId: string, since: Date) => {
    const found = await api.feedsSince(new Date(since.getTime() - SKEW_MS));
    const claimed = await db
      .selectFrom('amazon_refund_feeds')
      .select('feed_id')
      .where('shop_id', '=', shopId)
      .where('case_id', '!=', caseId)
      .where('feed_id', 'is not', null)
      .execute();
    const taken = new Set(claimed.map((r) => r.feed_id));
    // Only feeds made before the shop's next case asked for its own can be this case's.
    const next = await db
      .selectFrom('amazon_refund_feeds')
      .select((eb) => eb.fn.min('asked_at').as('at'))
      .where('shop_id', '=', shopId)
      .where('asked_at', '>', since)
      .executeTakeFirst();
    const until = next?.at ? new Date(next.at).getTime() : Infinity;
    return found.filter(
      (f) => !taken.has(f.feedId) && (f.createdTime === undefined || Date.parse(f.createdTime) < until),
    );
  };

  return {
    /** The shop's `platformRefund` setting: `api` — the case sends the refund; `person` (default). */
    async amazonRefundMode(input: { shopId: string }): Promise<'api' | 'person'> {
      const shop = await db
        .selectFrom('shops')
        .select('settings')
        .where('id', '=', input.shopId)
        .executeTakeFirst();
      return platformRefundMode(shop?.settings as Record<string, unknown> | null);
    },

    /**
     * Sends the case's refund as a payment adjustment feed, once — where the shop's
     * `platformRefund` setting is `api`; `person` (the default): nothing is sent.
     */
    async submitAmazonRefund(input: {
      caseId: string;
      shopId: string;
      orderId: string;
      platformOrderId: string;
    }): Promise<AmazonRefundSubmission> {
      const shop = await db
        .selectFrom('shops')
        .select('settings')
        .where('id', '=', input.shopId)
        .executeTakeFirst();
      if (platformRefundMode(shop?.settings as Record<string, unknown> | null) !== 'api')
        return { mode: 'person' };
      return failFastOnRefusal(() =>
        db.connection().execute(async (conn) => {
          // One submission of the shop at a time (session lock on this connection).
          const key = `amazon-refund-feed:${input.shopId}`;
          await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn);
          try {
            const { api, extra } = await feedsOf(input.shopId);
            const known = await db
              .selectFrom('amazon_refund_feeds')
              .selectAll()
              .where('case_id', '=', input.caseId)
              .executeTakeFirst();
            if (known?.feed_id) {
              return {
                mode: 'feed',
                feedId: known.feed_id,
                rows: known.rows as unknown as PaymentAdjustmentRow[],
                resent: false,
              };
            }
            if (known) {
              // Asked before, and the answer never came back: is the feed Amazon's already?
              const mine = await unclaimedSince(api, input.shopId, input.caseId, new Date(known.asked_at));
              if (mine.length > 1) {
                return {
                  mode: 'unsure',
                  message: `Amazon lists ${mine.length} payment adjustment feeds (${mine.map((f) => f.feedId).join(', ')}) made since this refund was sent, none claimed: check in Seller Central whether it was refunded`,
                };
              }
              if (mine.length === 1) {
                await db
                  .updateTable('amazon_refund_feeds')
                  .set({ feed_id: mine[0]!.feedId, updated_at: new Date() })
                  .where('case_id', '=', input.caseId)
                  .execute();
                return {
                  mode: 'feed',
                  feedId: mine[0]!.feedId,
                  rows: known.rows as unknown as PaymentAdjustmentRow[],
                  resent: false,
                };
              }
            }
            const rows = known
              ? (known.rows as unknown as PaymentAdjustmentRow[])
              : await rowsOf(input.caseId, input.orderId, input.platformOrderId, refundReasonCode(extra));
            const askedAt = new Date();
            await db
              .insertInto('amazon_refund_feeds')
              .values({
                case_id: input.caseId,
                shop_id: input.shopId,
                asked_at: askedAt,
                rows: JSON.stringify(rows),
                updated_at: askedAt,
              })
              .onConflict((c) =>
                c
                  .column('case_id')
                  .doUpdateSet({ asked_at: askedAt, feed_document_id: null, updated_at: askedAt }),
              )
              .execute();
            const doc = await api.createDocument();
            await api.upload(doc.url, renderPaymentAdjustmentFeed(rows, paymentAdjustmentFormat(extra)));
            await db
              .updateTable('amazon_refund_feeds')
              .set({ feed_document_id: doc.feedDocumentId, updated_at: new Date() })
              .where('case_id', '=', input.caseId)
              .execute();
            const feedId = await api.createFeed(doc.feedDocumentId);
            await db
              .updateTable('amazon_refund_feeds')
              .set({ feed_id: feedId, updated_at: new Date() })
              .where('case_id', '=', input.caseId)
              .execute();
            return { mode: 'feed', feedId, rows, resent: known !== undefined };
          } finally {
            await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
          }
        }),
      );
    },

    /**
     * The case's feed as Amazon has it: still in progress is a retryable failure (the activity's
     * retries are the wait); `DONE` — the processing report read, the records it refused with
     * Amazon's messages, what it took; `CANCELLED` / `FATAL` — nothing refunded.
     */
    async readAmazonRefund(input: { caseId: string; shopId: string }): Promise<AmazonRefundResult> {
      const row = await db
        .selectFrom('amazon_refund_feeds')
        .selectAll()
        .where('case_id', '=', input.caseId)
        .executeTakeFirstOrThrow();
      const feedId = row.feed_id!;
      if (row.result) return row.result as unknown as AmazonRefundResult;
      const result = await failFastOnRefusal(async (): Promise<AmazonRefundResult> => {
        const { api } = await feedsOf(input.shopId);
        const feed = await api.feed(feedId);
        if (feed.processingStatus === 'CANCELLED' || feed.processingStatus === 'FATAL') {
          return {
            status: 'failed',
            feedId,
            message: `Amazon's feed ${feedId} ended ${feed.processingStatus}: nothing was refunded`,
          };
        }
        if (feed.processingStatus !== 'DONE' || !feed.resultFeedDocumentId) {
          Context.current().heartbeat(feed.processingStatus);
          throw ApplicationFailure.create({
            type: 'amazon_feed_in_progress',
            message: `Amazon's feed ${feedId} is ${feed.processingStatus ?? 'not yet known'}`,
          });
        }
        const rows = row.rows as unknown as PaymentAdjustmentRow[];
        const refused = refusedRows(rows, await api.report(feed.resultFeedDocumentId));
        const currency = rows[0]?.currency ?? 'USD';
        const minor = (v: string | undefined) => (v ? amountToMinor(v, currency) : 0);
        const taken = rows.filter((r) => !refused.some((x) => x.row === r));
        return {
          status: 'done',
          feedId,
          refundedMinor: taken.reduce((sum, r) => sum + minor(r.itemPrice) + minor(r.itemTax), 0),
          currency,
          refused: refused.map((x) => ({
            orderItemId: x.row.orderItemId,
            messages: x.errors.map((e) => `${e.code ? `${e.code} ` : ''}${e.message}`.trim()),
          })),
        };
      });
      await db
        .updateTable('amazon_refund_feeds')
        .set({ result: JSON.stringify(result), updated_at: new Date() })
        .where('case_id', '=', input.caseId)
        .execute();
      return result;
    },
  };
}

export type AmazonRefundActivities = ReturnType<typeof createAmazonRefundActivities>;
