import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan, RateLimiter } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import type { AmazonSimAuth } from './auth.js';
import { renderAddress, renderAmazonItem, renderAmazonOrder, renderRefundEvent } from './render.js';
import { processPaymentAdjustmentFeed, SimAmazonAdjustmentBook } from './adjustments.js';
import { renderReturnsReport, type SimAmazonReturnBook } from './returns.js';

export { AmazonSimAuth } from './auth.js';
export { SimAmazonReturnBook, type SimAmazonReturn } from './returns.js';
export { SimAmazonAdjustmentBook, type SimAmazonAdjustment } from './adjustments.js';

/** SP-API usage plans (requests per second, burst) of the operations simulated. */
export const AMAZON_RATE_PLANS = {
  getOrders: { rate: 0.0167, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getOrderAddress: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  listFinancialEvents: { rate: 0.5, burst: 30 },
  listFinancialEventsByOrderId: { rate: 0.5, burst: 30 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  getListingsItem: { rate: 5, burst: 10 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeeds: { rate: 0.0222, burst: 10 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  // Reports API 2021-06-30 (models/reports-api-model/reports_2021-06-30.json).
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
} as const;
export type AmazonOperation = keyof typeof AMAZON_RATE_PLANS;

export interface AmazonSimulatorOptions {
  store: SimOrderStore;
  /** LWA client and sellers (store shopKey = selling partner id). */
  auth: AmazonSimAuth;
  marketplaceId: string;
  faults?: FaultPlan;
  now?: () => Date;
  /** Override usage plans per operation (tests use generous ones). */
  ratePlans?: Partial<Record<AmazonOperation, { rate: number; burst: number }>>;
  /** Merchant-fulfilled quantity per seller SKU, under the selling partner id (stock uploads land here). */
  inventory?: SimInventory;
  /**
   * The marketplace's carrier codes confirmShipment accepts besides `Other` (+ `carrierName`).
   * Amazon's list ("Acceptable CarrierCode values") is not in our facts: the default is a few
   * carriers sellers commonly name, assumed, and tests set their own.
   */
  carrierCodes?: readonly string[];
  /** The sellers' MFN returns, served by the returns report (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE). */
  returns?: SimAmazonReturnBook;
  /** How many `getReport` reads a report stays IN_QUEUE / IN_PROGRESS before DONE (default 2). */
  reportReadsBeforeDone?: number;
  /** Refunds made by payment adjustment feeds (POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA) land here. */
  adjustments?: SimAmazonAdjustmentBook;
  /** How many `getFeed` reads a payment adjustment feed stays IN_QUEUE / IN_PROGRESS before DONE (default 2). */
  feedReadsBeforeDone?: number;
}

/** Assumed (see `carrierCodes`): carriers commonly on Amazon's list, spelled as sellers see them. */
export const SIM_AMAZON_CARRIER_CODES = [
  'USPS',
  'UPS',
  'FedEx',
  'DHL',
  'DHL eCommerce',
  'China Post',
  'SF Express',
  'Yun Express',
  'Yanwen',
  '4PX',
  'Royal Mail',
  'Japan Post',
] as const;

class SpApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details = '',
  ) {
    super(message);
  }
}

/**
 * Amazon SP-API (Orders v0, Finances v0, Tokens 2021-03-01) and Login with Amazon as a Fastify
 * plugin: `x-amz-access-token` checked against LWA tokens, Restricted Data Tokens for the address,
 * the published usage plans as token buckets (429 with Retry-After and `x-amzn-RateLimit-Limit`),
 * LastUpdated windows ending at least two minutes ago, NextToken paging, shipment confirmation and
 * refunds as posted financial events. Errors use SP-API's `{"errors":[{code,message,details}]}`.
 */
export const amazonSimulator: FastifyPluginAsync<AmazonSimulatorOptions> = async (app, options) => {
  const { store, auth, marketplaceId } = options;
  const now = options.now ?? (() => new Date());
  const carrierCodes: readonly string[] = options.carrierCodes ?? SIM_AMAZON_CARRIER_CODES;
  const faults = options.faults ?? new FaultPlan();
  const limiters = new Map<AmazonOperation, RateLimiter>();
  const plan = (op: AmazonOperation) => options.ratePlans?.[op] ?? AMAZON_RATE_PLANS[op];
  const limiterOf = (op: AmazonOperation) => {
    let limiter = limiters.get(op);
    if (!limiter) {
      const { rate, burst } = plan(op);
      limiter = new RateLimiter(burst, (burst / rate) * 1000, () => now().getTime());
      limiters.set(op, limiter);
    }
    return limiter;
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // An answer the fault plan loses: the call was carried out, the caller gets a 502 instead.
  const LOSE = Symbol('lose-answer');
  app.addHook('onSend', async (request, reply, payload) => {
    if (!(request as unknown as Record<symbol, boolean>)[LOSE]) return payload;
    reply.code(502).type('text/plain');
    return 'bad gateway (the answer was lost)';
  });

  const errors = (reply: FastifyReply, e: SpApiError) =>
    reply.code(e.status).send({ errors: [{ code: e.code, message: e.message, details: e.details }] });

  type Handler = (request: FastifyRequest, shopKey: string, reply: FastifyReply) => unknown;
  const route = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    op: AmazonOperation,
    handler: Handler,
  ) =>
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        reply.header('x-amzn-RateLimit-Limit', String(plan(op).rate));
        reply.header('x-amzn-RequestId', crypto.randomUUID());
        try {
          const planned = faults.next(op);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(planned.retryAfterSeconds));
            throw planned.status === 429
              ? new SpApiError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.')
              : new SpApiError(
                  planned.status,
                  'InternalFailure',
                  'We encountered an internal error. Please try again.',
                );
          }
          const token = request.headers['x-amz-access-token'];
          const found = typeof token === 'string' ? auth.lookup(token) : undefined;
          if (!found)
            throw new SpApiError(
              403,
              'Unauthorized',
              'Access to requested resource is denied.',
              'The access token is invalid.',
            );
          if (found.expired) {
            throw new SpApiError(
              403,
              'Unauthorized',
              'Access to requested resource is denied.',
              'The access token you provided has expired.',
            );
          }
          // The token names Amazon's own path; the sandbox may serve this simulator under a prefix.
          const path = request.url.split('?')[0]!.slice(app.prefix.length);
          if (found.rdtPaths && !found.rdtPaths.includes(path)) {
            throw new SpApiError(
              403,
              'Unauthorized',
              'Access to requested resource is denied.',
              'The restricted data token does not cover this path.',
            );
          }
          const wait = limiterOf(op).take(found.shopKey);
          if (wait > 0) {
            reply.header('retry-after', String(Math.ceil(wait / 1000)));
            throw new SpApiError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.');
          }
          if (faults.answerLost(op)) (request as unknown as Record<symbol, boolean>)[LOSE] = true;
          return await handler(request, found.shopKey, reply);
        } catch (err) {
          if (err instanceof SpApiError) return errors(reply, err);
          throw err;
        }
      },
    });

  const q = (request: FastifyRequest) => request.query as Record<string, string | undefined>;
  const isoDate = (value: string | undefined, name: string) => {
    const at = value ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) throw new SpApiError(400, 'InvalidInput', `${name} must be an ISO 8601 date-time.`);
    return at;
  };
  const pageSize = (value: string | undefined) => {
    const n = value === undefined ? 100 : Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 100)
      throw new SpApiError(400, 'InvalidInput', 'MaxResultsPerPage must be between 1 and 100.');
    return n;
  };
  /** The "before" bound must be at least two minutes in the past; absent means now − 2 min. */
  const before = (value: string | undefined, name: string) => {
    const latest = now().getTime() - 120_000;
    if (value === undefined) return latest;
    const at = isoDate(value, name);
    if (at > latest)
      throw new SpApiError(
        400,
        'InvalidInput',
        `${name} must be no later than two minutes before the request time.`,
      );
    return at;
  };
  const encode = (state: object) => Buffer.from(JSON.stringify(state)).toString('base64url');
  const decode = <T>(token: string): T => {
    try {
      return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
    } catch {
      throw new SpApiError(400, 'InvalidInput', 'Invalid NextToken.');
    }
  };
  const orderOf = (shopKey: string, id: string | undefined): SimOrder => {
    const order = id ? store.get(shopKey, id) : undefined;
    if (!order) throw new SpApiError(404, 'NotFound', `Order ${id} not found.`);
    return order;
  };

  // Listings Items 2021-08-01 (docs/stock-sync.md §Amazon): the merchant-fulfilled quantity of a
  // seller SKU in `fulfillment_availability`. A SKU the seller does not list is 404 (❓); a listing
  // closed or deleted on Amazon answers INVALID with an ERROR issue (❓) and keeps its quantity.
  const listingOf = (request: FastifyRequest, shopKey: string) => {
    const { sellerId, sku } = request.params as { sellerId: string; sku: string };
    const marketplaces = (q(request).marketplaceIds ?? '').split(',');
    if (sellerId !== shopKey)
      throw new SpApiError(
        403,
        'Unauthorized',
        'Access to requested resource is denied.',
        'Not this seller.',
      );
    if (!marketplaces.includes(marketplaceId))
      throw new SpApiError(400, 'InvalidInput', 'marketplaceIds must name the seller’s marketplace.');
    options.inventory?.countCall(shopKey);
    const listing = options.inventory?.get(shopKey, sku);
    if (!listing)
      throw new SpApiError(404, 'NOT_FOUND', `SKU '${sku}' not found in marketplace ${marketplaceId}.`);
    return { sku, listing };
  };
  route('GET', '/listings/2021-08-01/items/:sellerId/:sku', 'getListingsItem', (request, shopKey) => {
    const { sku, listing } = listingOf(request, shopKey);
    const included = (q(request).includedData ?? 'summaries').split(',');
    return {
      sku,
      ...(included.includes('summaries')
        ? {
            summaries: [
              { marketplaceId, status: listing.status === 'listed' ? ['BUYABLE', 'DISCOVERABLE'] : [] },
            ],
          }
        : {}),
      ...(included.includes('fulfillmentAvailability')
        ? { fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity: listing.quantity }] }
        : {}),
    };
  });
  type Issue = { code: string; message: string; severity: 'ERROR'; attributeNames: string[] };
  /** Applies a listing's patches (the fulfillment_availability quantity); INVALID with issues when closed. */
  const patchListing = (
    shopKey: string,
    sku: string,
    patches: unknown,
  ): { status: string; issues: Issue[] } => {
    const listing = options.inventory?.get(shopKey, sku);
    if (!listing)
      throw new SpApiError(404, 'NOT_FOUND', `SKU '${sku}' not found in marketplace ${marketplaceId}.`);
    if (!Array.isArray(patches) || patches.length === 0)
      throw new SpApiError(400, 'InvalidInput', 'productType and patches are required.');
    let quantity: number | undefined;
    for (const patch of patches as Array<{ op?: unknown; path?: unknown; value?: unknown }>) {
      if (patch.path !== '/attributes/fulfillment_availability') continue;
      if (patch.op !== 'replace' && patch.op !== 'merge')
        throw new SpApiError(400, 'InvalidInput', `Unsupported op ${String(patch.op)}.`);
      const entry = Array.isArray(patch.value)
        ? (patch.value as Array<{ fulfillment_channel_code?: unknown; quantity?: unknown }>).find(
            (v) => v.fulfillment_channel_code === 'DEFAULT',
          )
        : undefined;
      if (
        !entry ||
        typeof entry.quantity !== 'number' ||
        !Number.isInteger(entry.quantity) ||
        entry.quantity < 0
      )
        throw new SpApiError(
          400,
          'InvalidInput',
          'fulfillment_availability needs DEFAULT and a quantity ≥ 0.',
        );
      quantity = entry.quantity;
    }
    if (listing.status === 'delisted') {
      return {
        status: 'INVALID',
        issues: [
          {
            code: '8541',
            message: `The listing for SKU '${sku}' is closed and cannot take an offer change.`,
            severity: 'ERROR',
            attributeNames: ['fulfillment_availability'],
          },
        ],
      };
    }
    if (quantity !== undefined) options.inventory!.set(shopKey, sku, quantity, now());
    return { status: 'ACCEPTED', issues: [] };
  };
  const jsonBody = (request: FastifyRequest) => {
    try {
      return JSON.parse(typeof request.body === 'string' ? request.body : '') as Record<string, unknown>;
    } catch {
      throw new SpApiError(400, 'InvalidInput', 'The request body is not JSON.');
    }
  };
  route('PATCH', '/listings/2021-08-01/items/:sellerId/:sku', 'patchListingsItem', (request, shopKey) => {
    const { sku } = listingOf(request, shopKey);
    const body = jsonBody(request);
    if (typeof body.productType !== 'string')
      throw new SpApiError(400, 'InvalidInput', 'productType and patches are required.');
    const submissionId = crypto.randomUUID().replace(/-/g, '');
    return { sku, submissionId, ...patchListing(shopKey, sku, body.patches) };
  });

  // Feeds 2021-06-30 (docs/stock-sync.md §Amazon, docs/platforms/amazon-returns.md "Refunds by
  // feed"): a document is created, its content PUT to the URL given (no token, as Amazon's
  // pre-signed URLs), a feed created over it. JSON_LISTINGS_FEED is processed at once (❓ Amazon
  // takes minutes) with a JSON processing report; POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA is
  // processed when created (the refunds recorded) and reads IN_QUEUE, IN_PROGRESS, then DONE with a
  // tab-separated processing report. A document is one feed's: createFeed again over the same
  // document answers the feed it made (the simulator's choice; not in the facts).
  const documents = new Map<string, { shopKey: string; content?: string; contentType?: string }>();
  const feeds = new Map<
    string,
    { shopKey: string; feedType: string; createdTime: Date; reads: number; resultFeedDocumentId: string }
  >();
  const feedOfDocument = new Map<string, string>();
  const adjustmentBook = options.adjustments ?? new SimAmazonAdjustmentBook();
  const feedReads = options.feedReadsBeforeDone ?? 2;
  const FEED_TYPES = ['JSON_LISTINGS_FEED', 'POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA'];
  const docUrl = (request: FastifyRequest, id: string) =>
    `${request.protocol}://${request.headers.host}${app.prefix}/feed-documents/${id}`;
  route('POST', '/feeds/2021-06-30/documents', 'createFeedDocument', (request, shopKey, reply) => {
    const body = jsonBody(request);
    if (typeof body.contentType !== 'string')
      throw new SpApiError(400, 'InvalidInput', 'contentType is required.');
    const feedDocumentId = `amzn1.tortuga.4.na.${crypto.randomUUID()}`;
    documents.set(feedDocumentId, { shopKey, contentType: body.contentType });
    return reply.code(201).send({ feedDocumentId, url: docUrl(request, feedDocumentId) });
  });
  app.put('/feed-documents/:id', async (request, reply) => {
    const doc = documents.get((request.params as { id: string }).id);
    if (!doc) return reply.code(404).send('NoSuchKey');
    doc.content = typeof request.body === 'string' ? request.body : '';
    return reply.code(200).send('');
  });
  app.get('/feed-documents/:id', async (request, reply) => {
    const doc = documents.get((request.params as { id: string }).id);
    if (!doc?.content) return reply.code(404).send('NoSuchKey');
    return reply.type(doc.contentType ?? 'application/json').send(doc.content);
  });
  const resultDocument = (shopKey: string, content: string, contentType: string) => {
    const id = `amzn1.tortuga.4.na.${crypto.randomUUID()}`;
    documents.set(id, { shopKey, content, contentType });
    return id;
  };
  route('POST', '/feeds/2021-06-30/feeds', 'createFeed', (request, shopKey, reply) => {
    const body = jsonBody(request);
    const inputId = String(body.inputFeedDocumentId ?? '');
    const input = documents.get(inputId);
    if (
      typeof body.feedType !== 'string' ||
      !FEED_TYPES.includes(body.feedType) ||
      !input ||
      input.shopKey !== shopKey ||
      input.content === undefined
    )
      throw new SpApiError(
        400,
        'InvalidInput',
        `feedType (${FEED_TYPES.join(' or ')}) and an uploaded inputFeedDocumentId are required.`,
      );
    if (!Array.isArray(body.marketplaceIds) || !body.marketplaceIds.includes(marketplaceId))
      throw new SpApiError(400, 'InvalidInput', 'marketplaceIds must name the seller’s marketplace.');
    const made = feedOfDocument.get(inputId);
    if (made) return reply.code(202).send({ feedId: made });
    const feedId = String(50_000_000_000 + feeds.size + 1);
    let resultFeedDocumentId: string;
    if (body.feedType === 'POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA') {
      const { report } = processPaymentAdjustmentFeed({
        feedId,
        seller: shopKey,
        content: input.content,
        store,
        book: adjustmentBook,
        ...(options.returns ? { returns: options.returns } : {}),
        now: now(),
      });
      resultFeedDocumentId = resultDocument(shopKey, report, 'text/plain; charset=UTF-8');
    } else {
      resultFeedDocumentId = listingsFeed(shopKey, input.content);
    }
    feeds.set(feedId, {
      shopKey,
      feedType: body.feedType,
      createdTime: now(),
      reads: body.feedType === 'JSON_LISTINGS_FEED' ? feedReads : 0,
      resultFeedDocumentId,
    });
    feedOfDocument.set(inputId, feedId);
    return reply.code(202).send({ feedId });
  });
  /** A JSON_LISTINGS_FEED's messages applied; answers its result document's id. */
  const listingsFeed = (shopKey: string, content: string): string => {
    let feed: { header?: { sellerId?: unknown }; messages?: unknown };
    try {
      feed = JSON.parse(content) as typeof feed;
    } catch {
      throw new SpApiError(400, 'InvalidInput', 'The feed document is not JSON.');
    }
    const messages = Array.isArray(feed.messages)
      ? (feed.messages as Array<{
          messageId?: unknown;
          sku?: unknown;
          operationType?: unknown;
          patches?: unknown;
        }>)
      : [];
    const issues: Array<Issue & { messageId: unknown }> = [];
    let accepted = 0;
    for (const message of messages) {
      options.inventory?.countCall(shopKey);
      let outcome: { status: string; issues: Issue[] };
      try {
        if (
          feed.header?.sellerId !== shopKey ||
          message.operationType !== 'PATCH' ||
          typeof message.sku !== 'string'
        )
          throw new SpApiError(400, 'InvalidInput', 'sellerId, operationType PATCH and sku are required.');
        outcome = patchListing(shopKey, message.sku, message.patches);
      } catch (err) {
        if (!(err instanceof SpApiError)) throw err;
        outcome = {
          status: 'INVALID',
          issues: [{ code: err.code, message: err.message, severity: 'ERROR', attributeNames: [] }],
        };
      }
      if (outcome.status === 'ACCEPTED') accepted += 1;
      issues.push(...outcome.issues.map((i) => ({ messageId: message.messageId, ...i })));
    }
    return resultDocument(
      shopKey,
      JSON.stringify({
        header: { sellerId: shopKey, version: '2.0', feedId: '' },
        issues,
        summary: {
          errors: issues.length,
          warnings: 0,
          messagesProcessed: messages.length,
          messagesAccepted: accepted,
          messagesInvalid: messages.length - accepted,
        },
      }),
      'application/json',
    );
  };
  const feedView = (feedId: string, feed: NonNullable<ReturnType<typeof feeds.get>>) => {
    const processingStatus =
      feed.reads <= feedReads ? (feed.reads <= 1 ? 'IN_QUEUE' : 'IN_PROGRESS') : 'DONE';
    return {
      feedId,
      feedType: feed.feedType,
      marketplaceIds: [marketplaceId],
      createdTime: feed.createdTime.toISOString(),
      processingStatus,
      ...(processingStatus === 'DONE' ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
    };
  };
  route('GET', '/feeds/2021-06-30/feeds/:feedId', 'getFeed', (request, shopKey) => {
    const feedId = (request.params as { feedId: string }).feedId;
    const feed = feeds.get(feedId);
    if (!feed || feed.shopKey !== shopKey) throw new SpApiError(404, 'NotFound', `Feed ${feedId} not found.`);
    feed.reads += 1;
    return feedView(feedId, feed);
  });
  route('GET', '/feeds/2021-06-30/feeds', 'getFeeds', (request, shopKey) => {
    const query = q(request);
    type Scan = { types: string[]; since: number; until: number; size: number; offset: number };
    let scan: Scan;
    if (query.nextToken) scan = decode<Scan>(query.nextToken);
    else {
      const types = (query.feedTypes ?? '').split(',').filter(Boolean);
      if (types.length === 0 && !query.nextToken)
        throw new SpApiError(400, 'InvalidInput', 'feedTypes is required when nextToken is absent.');
      const size = query.pageSize === undefined ? 10 : Number(query.pageSize);
      if (!Number.isInteger(size) || size < 1 || size > 100)
        throw new SpApiError(400, 'InvalidInput', 'pageSize must be between 1 and 100.');
      scan = {
        types,
        since:
          query.createdSince === undefined
            ? now().getTime() - 90 * 86_400_000
            : isoDate(query.createdSince, 'createdSince'),
        until:
          query.createdUntil === undefined ? now().getTime() : isoDate(query.createdUntil, 'createdUntil'),
        size,
        offset: 0,
      };
    }
    const all = [...feeds.entries()].filter(
      ([, f]) =>
        f.shopKey === shopKey &&
        scan.types.includes(f.feedType) &&
        f.createdTime.getTime() >= scan.since &&
        f.createdTime.getTime() <= scan.until,
    );
    const page = all.slice(scan.offset, scan.offset + scan.size);
    const more = all.length > scan.offset + scan.size;
    return {
      feeds: page.map(([id, f]) => feedView(id, f)),
      ...(more ? { nextToken: encode({ ...scan, offset: scan.offset + scan.size }) } : {}),
    };
  });
  route('GET', '/feeds/2021-06-30/documents/:feedDocumentId', 'getFeedDocument', (request, shopKey) => {
    const id = (request.params as { feedDocumentId: string }).feedDocumentId;
    const doc = documents.get(id);
    if (!doc || doc.shopKey !== shopKey) throw new SpApiError(404, 'NotFound', `Document ${id} not found.`);
    return { feedDocumentId: id, url: docUrl(request, id) };
  });

  // Reports API 2021-06-30, the MFN returns report only (docs/platforms/amazon-returns.md): created
  // over a window of return dates (at most 60 days, not in the future), IN_QUEUE then IN_PROGRESS
  // for a few reads, then DONE with a gzipped tab-delimited document — or CANCELLED when the window
  // has no returns ("an automatic cancellation if there is no data to return"). The document's URL
  // is pre-signed (no token) and expires after 5 minutes, as the model says.
  const reports = new Map<
    string,
    { shopKey: string; reads: number; rows: ReturnType<SimAmazonReturnBook['between']>; documentId: string }
  >();
  const reportDocuments = new Map<string, { shopKey: string; content: Buffer; expiresAt: number }>();
  const reportReads = options.reportReadsBeforeDone ?? 2;
  route('POST', '/reports/2021-06-30/reports', 'createReport', (request, shopKey, reply) => {
    const body = jsonBody(request);
    if (body.reportType !== 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE')
      throw new SpApiError(400, 'InvalidInput', `Report type ${String(body.reportType)} is not served here.`);
    if (!Array.isArray(body.marketplaceIds) || !body.marketplaceIds.includes(marketplaceId))
      throw new SpApiError(400, 'InvalidInput', 'marketplaceIds must name the seller’s marketplace.');
    const end =
      body.dataEndTime === undefined ? now().getTime() : isoDate(String(body.dataEndTime), 'dataEndTime');
    const start =
      body.dataStartTime === undefined ? end : isoDate(String(body.dataStartTime), 'dataStartTime');
    if (start > now().getTime() || end > now().getTime())
      throw new SpApiError(400, 'InvalidInput', 'dataStartTime and dataEndTime must not be in the future.');
    if (start > end) throw new SpApiError(400, 'InvalidInput', 'dataStartTime must be before dataEndTime.');
    if (end - start > 60 * 86_400_000)
      throw new SpApiError(400, 'InvalidInput', 'You can request up to 60 days of data in a single report.');
    const reportId = String(60_000_000_000 + reports.size + 1);
    reports.set(reportId, {
      shopKey,
      reads: 0,
      rows: options.returns?.between(shopKey, new Date(start), new Date(end)) ?? [],
      documentId: `amzn1.spdoc.1.4.na.${crypto.randomUUID()}`,
    });
    return reply.code(202).send({ reportId });
  });
  route('GET', '/reports/2021-06-30/reports/:reportId', 'getReport', (request, shopKey) => {
    const reportId = (request.params as { reportId: string }).reportId;
    const report = reports.get(reportId);
    if (!report || report.shopKey !== shopKey)
      throw new SpApiError(404, 'NotFound', `Report ${reportId} not found.`);
    report.reads += 1;
    const processingStatus =
      report.reads <= reportReads
        ? report.reads === 1
          ? 'IN_QUEUE'
          : 'IN_PROGRESS'
        : report.rows.length === 0
          ? 'CANCELLED'
          : 'DONE';
    if (processingStatus === 'DONE' && !reportDocuments.has(report.documentId)) {
      reportDocuments.set(report.documentId, {
        shopKey,
        content: renderReturnsReport(report.rows),
        expiresAt: 0,
      });
    }
    return {
      reportId,
      reportType: 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE',
      marketplaceIds: [marketplaceId],
      createdTime: now().toISOString(),
      processingStatus,
      ...(processingStatus === 'DONE' ? { reportDocumentId: report.documentId } : {}),
    };
  });
  route('GET', '/reports/2021-06-30/documents/:reportDocumentId', 'getReportDocument', (request, shopKey) => {
    const id = (request.params as { reportDocumentId: string }).reportDocumentId;
    const doc = reportDocuments.get(id);
    if (!doc || doc.shopKey !== shopKey) throw new SpApiError(404, 'NotFound', `Document ${id} not found.`);
    doc.expiresAt = now().getTime() + 5 * 60_000;
    return {
      reportDocumentId: id,
      url: `${request.protocol}://${request.headers.host}${app.prefix}/report-documents/${id}`,
      compressionAlgorithm: 'GZIP',
    };
  });
  app.get('/report-documents/:id', async (request, reply) => {
    const doc = reportDocuments.get((request.params as { id: string }).id);
    if (!doc) return reply.code(404).type('application/xml').send('<Error><Code>NoSuchKey</Code></Error>');
    if (now().getTime() > doc.expiresAt)
      return reply
        .code(403)
        .type('application/xml')
        .send('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    return reply.type('application/octet-stream').send(doc.content);
  });

  route('GET', '/orders/v0/orders', 'getOrders', (request, shopKey) => {
    const query = q(request);
    if (query.MarketplaceIds !== marketplaceId)
      throw new SpApiError(
        400,
        'InvalidInput',
        'MarketplaceIds is missing or not a marketplace of this seller.',
      );
    type Scan = { after: number; before: number; size: number; lastKey: string };
    let scan: Scan;
    if (query.NextToken) {
      scan = decode<Scan>(query.NextToken);
    } else {
      if (query.CreatedAfter || query.CreatedBefore)
        throw new SpApiError(400, 'InvalidInput', 'This simulator lists by LastUpdatedAfter only.');
      const after = isoDate(query.LastUpdatedAfter, 'LastUpdatedAfter');
      const end = before(query.LastUpdatedBefore, 'LastUpdatedBefore');
      if (end < after)
        throw new SpApiError(400, 'InvalidInput', 'LastUpdatedBefore must be after LastUpdatedAfter.');
      scan = { after, before: end, size: pageSize(query.MaxResultsPerPage), lastKey: '' };
    }
    const key = (o: SimOrder) => `${String(o.modifiedAt.getTime()).padStart(15, '0')}|${o.id}`;
    const rest = store
      .listModified(shopKey, new Date(scan.after), new Date(scan.before + 1000))
      .filter((o) => key(o) > scan.lastKey);
    const page = rest.slice(0, scan.size);
    const more = rest.length > scan.size;
    return {
      payload: {
        Orders: page.map((o) => renderAmazonOrder(o, marketplaceId)),
        ...(more ? { NextToken: encode({ ...scan, lastKey: key(page[page.length - 1]!) }) } : {}),
        LastUpdatedBefore: new Date(scan.before).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  });

  route('GET', '/orders/v0/orders/:orderId', 'getOrder', (request, shopKey) => ({
    payload: renderAmazonOrder(
      orderOf(shopKey, (request.params as { orderId: string }).orderId),
      marketplaceId,
    ),
  }));

  route('GET', '/orders/v0/orders/:orderId/orderItems', 'getOrderItems', (request, shopKey) => {
    const order = orderOf(shopKey, (request.params as { orderId: string }).orderId);
    return {
      payload: {
        AmazonOrderId: order.id,
        OrderItems: order.items.map((item, i) => renderAmazonItem(order, item, i)),
      },
    };
  });

  route('GET', '/orders/v0/orders/:orderId/address', 'getOrderAddress', (request, shopKey) => {
    const token = auth.lookup(String(request.headers['x-amz-access-token']));
    if (!token?.rdtPaths) {
      throw new SpApiError(
        403,
        'Unauthorized',
        'Access to requested resource is denied.',
        'This operation requires a restricted data token.',
      );
    }
    const order = orderOf(shopKey, (request.params as { orderId: string }).orderId);
    return { payload: { AmazonOrderId: order.id, ShippingAddress: renderAddress(order, true) } };
  });

  route(
    'POST',
    '/orders/v0/orders/:orderId/shipmentConfirmation',
    'confirmShipment',
    (request, shopKey, reply) => {
      const order = orderOf(shopKey, (request.params as { orderId: string }).orderId);
      let body: { marketplaceId?: unknown; packageDetail?: Record<string, unknown> };
      try {
        body = JSON.parse(String(request.body ?? '')) as typeof body;
      } catch {
        throw new SpApiError(400, 'InvalidInput', 'Body is not valid JSON.');
      }
      const detail = body.packageDetail;
      const items = Array.isArray(detail?.orderItems)
        ? (detail.orderItems as Array<{ orderItemId?: unknown; quantity?: unknown }>)
        : [];
      if (
        body.marketplaceId !== marketplaceId ||
        !detail ||
        typeof detail.trackingNumber !== 'string' ||
        typeof detail.carrierCode !== 'string'
      ) {
        throw new SpApiError(
          400,
          'InvalidInput',
          'marketplaceId, packageDetail.carrierCode and packageDetail.trackingNumber are required.',
        );
      }
      if (detail.carrierCode === 'Other' && typeof detail.carrierName !== 'string') {
        throw new SpApiError(400, 'InvalidInput', 'carrierName is required when carrierCode is Other.');
      }
      if (detail.carrierCode !== 'Other' && !carrierCodes.includes(detail.carrierCode)) {
        throw new SpApiError(
          400,
          'InvalidInput',
          `carrierCode ${detail.carrierCode} is not an acceptable CarrierCode value; use Other with carrierName for an unlisted carrier.`,
        );
      }
      if (items.length === 0 || items.some((i) => !order.items.some((o) => o.lineId === i.orderItemId))) {
        throw new SpApiError(400, 'InvalidInput', 'packageDetail.orderItems must name items of this order.');
      }
      if (order.status !== 'paid') {
        throw new SpApiError(
          400,
          'InvalidInput',
          `Order ${order.id} is not in a state that allows shipment confirmation.`,
        );
      }
      const at = new Date(typeof detail.shipDate === 'string' ? detail.shipDate : now().toISOString());
      store.update(
        shopKey,
        order.id,
        (o) => {
          o.status = 'shipped';
          o.shipment = {
            carrierCode:
              detail.carrierCode === 'Other' ? String(detail.carrierName) : String(detail.carrierCode),
            listedAs: String(detail.carrierCode),
            trackingNumber: String(detail.trackingNumber),
            shippedAt: at,
          };
        },
        now(),
      );
      return reply.code(204).send();
    },
  );

  const refundsPosted = (shopKey: string, from: number, to: number) =>
    store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .filter(
        (o) =>
          o.refund?.status === 'refunded' &&
          o.refund.modifiedAt.getTime() >= from &&
          o.refund.modifiedAt.getTime() <= to,
      )
      .sort(
        (a, b) => a.refund!.modifiedAt.getTime() - b.refund!.modifiedAt.getTime() || a.id.localeCompare(b.id),
      );

  route('GET', '/finances/v0/financialEvents', 'listFinancialEvents', (request, shopKey) => {
    const query = q(request);
    type Scan = { after: number; before: number; size: number; offset: number };
    const scan: Scan = query.NextToken
      ? decode<Scan>(query.NextToken)
      : {
          after: isoDate(query.PostedAfter, 'PostedAfter'),
          before: before(query.PostedBefore, 'PostedBefore'),
          size: pageSize(query.MaxResultsPerPage),
          offset: 0,
        };
    const all = refundsPosted(shopKey, scan.after, scan.before);
    const page = all.slice(scan.offset, scan.offset + scan.size);
    const more = all.length > scan.offset + scan.size;
    return {
      payload: {
        FinancialEvents: { RefundEventList: page.map(renderRefundEvent), ShipmentEventList: [] },
        ...(more ? { NextToken: encode({ ...scan, offset: scan.offset + scan.size }) } : {}),
      },
    };
  });

  route(
    'GET',
    '/finances/v0/orders/:orderId/financialEvents',
    'listFinancialEventsByOrderId',
    (request, shopKey) => {
      const order = orderOf(shopKey, (request.params as { orderId: string }).orderId);
      return {
        payload: {
          FinancialEvents: {
            RefundEventList: order.refund?.status === 'refunded' ? [renderRefundEvent(order)] : [],
            ShipmentEventList: [],
          },
        },
      };
    },
  );

  route('POST', '/tokens/2021-03-01/restrictedDataToken', 'createRestrictedDataToken', (request, shopKey) => {
    let body: { restrictedResources?: Array<{ method?: unknown; path?: unknown }> };
    try {
      body = JSON.parse(String(request.body ?? '')) as typeof body;
    } catch {
      throw new SpApiError(400, 'InvalidInput', 'Body is not valid JSON.');
    }
    const paths = (body.restrictedResources ?? []).map((r) => r.path);
    if (
      paths.length === 0 ||
      paths.some((p) => typeof p !== 'string' || !/^\/orders\/v0\/orders\/[^/]+\/address$/.test(p))
    ) {
      throw new SpApiError(400, 'InvalidInput', 'restrictedResources must name restricted order paths.');
    }
    const rdt = auth.issueRdt(shopKey, paths as string[]);
    return { restrictedDataToken: rdt.token, expiresIn: rdt.expiresIn };
  });

  /** Login with Amazon, served here too so tests point `extra.lwaUrl` at the simulator. */
  app.post('/auth/o2/token', async (request, reply) => {
    const form = new URLSearchParams(String(request.body ?? ''));
    if (form.get('grant_type') !== 'refresh_token') {
      return reply
        .code(400)
        .send({ error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' });
    }
    const grant = auth.exchange(
      form.get('client_id') ?? '',
      form.get('client_secret') ?? '',
      form.get('refresh_token') ?? '',
    );
    if (!grant)
      return reply.code(400).send({
        error: 'invalid_grant',
        error_description: 'The request has an invalid grant parameter : refresh_token',
      });
    return reply.send({
      access_token: grant.accessToken,
      refresh_token: form.get('refresh_token'),
      token_type: 'bearer',
      expires_in: grant.expiresIn,
    });
  });
};
