import { amountDue, totalQuantity, type NormalizedOrder } from '../order.js';
import type { Platform } from '../platforms.js';
import { validateChineseAddress } from '../regions/address.js';
import type { AddressValidation } from '../regions/types.js';
import type { RemarkAnalysis } from '../remarks/analyze.js';
import { analyzeWithTranslation, type RemarkTranslationOutcome } from '../remarks/translated.js';
import type { BlacklistHit } from './blacklist.js';
import { normalizeSkuFlag } from './flags.js';

/** One order line as rules see it: the line plus its SKU's flags from master data. */
export interface AuditLine {
  lineId: string;
  skuCode: string;
  quantity: number;
  /** Normalized (`cold-chain` → `cold_chain`); empty for SKUs unknown to master data. */
  skuFlags: string[];
}

/**
 * Everything audit and routing rules decide on. Plain data, so it can cross from an activity
 * into a workflow and be recorded in history.
 */
export interface AuditSubject {
  order: NormalizedOrder;
  platform: Platform;
  shopId: string;
  lines: AuditLine[];
  blacklistHits: BlacklistHit[];
  address: AddressValidation;
  buyerRemark: RemarkAnalysis | null;
  sellerMemo: RemarkAnalysis | null;
  /** Seconds since payment at evaluation time; null while unpaid. */
  paymentAgeSeconds: number | null;
  amountDueFen: number;
  totalQuantity: number;
  /** ISO time the subject was built for (payment age is measured at this moment). */
  evaluatedAt: string;
}

export interface AuditContext {
  /** SKU code → flags from `skus.flags`. */
  skuFlags: Readonly<Record<string, readonly string[]>>;
  blacklistHits: readonly BlacklistHit[];
  /** The moment of evaluation; passed in so workflows stay deterministic. */
  now: Date | string;
  /**
   * Remark text → its machine translation (or why there is none), for remarks the lexicon cannot
   * read: rules then act on the translated intent (domain/remarks/translated.ts).
   */
  remarkTranslations?: Readonly<Record<string, RemarkTranslationOutcome>>;
}

export function buildAuditSubject(order: NormalizedOrder, context: AuditContext): AuditSubject {
  const now = new Date(context.now);
  const paidAt = order.paidAt ? new Date(order.paidAt) : undefined;
  const paymentAgeSeconds =
    paidAt && !Number.isNaN(paidAt.getTime()) && !Number.isNaN(now.getTime())
      ? Math.max(0, Math.floor((now.getTime() - paidAt.getTime()) / 1000))
      : null;
  return {
    order,
    platform: order.platform,
    shopId: order.shopId,
    lines: order.lines.map((line) => ({
      lineId: line.lineId,
      skuCode: line.skuCode,
      quantity: line.quantity,
      skuFlags: [...new Set((context.skuFlags[line.skuCode] ?? []).map(normalizeSkuFlag))].sort(),
    })),
    blacklistHits: [...context.blacklistHits],
    address: validateChineseAddress(order.receiver),
    buyerRemark: order.buyerRemark?.trim()
      ? analyzeWithTranslation(order.buyerRemark, context.remarkTranslations)
      : null,
    sellerMemo: order.sellerMemo?.trim()
      ? analyzeWithTranslation(order.sellerMemo, context.remarkTranslations)
      : null,
    paymentAgeSeconds,
    amountDueFen: amountDue(order.amounts),
    totalQuantity: totalQuantity(order),
    evaluatedAt: Number.isNaN(now.getTime()) ? String(context.now) : now.toISOString(),
  };
}
