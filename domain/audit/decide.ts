import type { NormalizedOrder } from '../order.js';
import type { RemarkTranslationOutcome } from '../remarks/translated.js';
import type { BlacklistHit } from './blacklist.js';
import { evaluateAuditRules, type AuditFlagResult, type AuditTraceEntry } from './evaluate.js';
import { paymentMismatchHold, type AuditHoldCandidate } from './payment-check.js';
import { buildAuditSubject, type AuditSubject } from './subject.js';

export type { AuditHoldCandidate };

/**
 * The whole audit decision for one order, in one place: the live audit (activities/order-audit.ts)
 * and the dry run (POST /audit-rules/dry-run) both load master data, then call `prepareAudit` and
 * `decideAudit`. Anything that holds an order at audit — rules, unmapped SKUs, paid ≠ due — is
 * decided here, so a dry run can only differ from what the workflows did if master data changed.
 */

/** What the audit reads from master data about one order (db/queries/audit-rules.ts loads it). */
export interface AuditMasterData {
  /** `skus.flags` by SKU code: the codes on the order's lines and the internal SKUs they map to. */
  skuFlags: Readonly<Record<string, readonly string[]>>;
  /** Each line's internal SKU (by mapping or code) and, for bundles, the flags of every component. */
  resolution: {
    matches: readonly { lineId: string; sku: string }[];
    components: readonly { lineId: string; flags: readonly string[] }[];
    unmapped: readonly { lineId: string; problem: string }[];
  };
  blacklistHits: readonly BlacklistHit[];
  /**
   * Machine translations of the order's remarks the lexicon cannot read, by remark text (the live
   * audit asks the service, a dry run reads what it stored); absent: the lexicon alone.
   */
  remarkTranslations?: Readonly<Record<string, RemarkTranslationOutcome>>;
}

export interface PreparedAudit {
  subject: AuditSubject;
  /** Built-in holds that do not depend on the rule set. */
  unmappedHold: AuditHoldCandidate | null;
  paymentHold: AuditHoldCandidate | null;
}

export interface AuditDecision {
  /** Unmapped SKUs first, then rule holds by stage and rule order, then a payment mismatch. */
  holds: AuditHoldCandidate[];
  flags: AuditFlagResult[];
  trace: AuditTraceEntry[];
}

export const UNMAPPED_SKU_REASON = 'unmapped_sku';

/**
 * Builds what rules decide on, at `now` (the moment of the audit: payment age is measured then),
 * and the built-in holds. Pure; the subject also feeds routing rules.
 */
export function prepareAudit(
  order: NormalizedOrder,
  data: AuditMasterData,
  settings: { paymentToleranceFen: number },
  now: Date | string,
): PreparedAudit {
  const subject = buildAuditSubject(order, {
    skuFlags: lineSkuFlags(order, data),
    blacklistHits: data.blacklistHits,
    now,
    ...(data.remarkTranslations ? { remarkTranslations: data.remarkTranslations } : {}),
  });
  const { unmapped } = data.resolution;
  return {
    subject,
    unmappedHold: unmapped.length
      ? {
          reason: UNMAPPED_SKU_REASON,
          stage: 1,
          clearedBy: 'ops',
          ruleId: 'sku_mapping',
          message: 'map the platform SKU to an internal SKU (POST /sku-mappings), then approve',
          detail: unmapped.map((u) => `line ${u.lineId}: ${u.problem}`).join('; '),
        }
      : null,
    paymentHold: paymentMismatchHold(order.amounts, settings.paymentToleranceFen),
  };
}

/** The holds and flags `rules` give a prepared order. Pure and total, like `evaluateAuditRules`. */
export function decideAudit(prepared: PreparedAudit, rules: readonly unknown[]): AuditDecision {
  const outcome = evaluateAuditRules(rules, prepared.subject);
  const holds: AuditHoldCandidate[] = outcome.holds.map((h) => ({
    reason: h.reason,
    stage: h.stage,
    clearedBy: h.clearedBy,
    ruleId: h.ruleId,
    message: h.message ?? null,
    detail: h.detail,
  }));
  return {
    holds: [
      ...(prepared.unmappedHold ? [prepared.unmappedHold] : []),
      ...holds,
      ...(prepared.paymentHold ? [prepared.paymentHold] : []),
    ],
    flags: outcome.flags,
    trace: outcome.trace,
  };
}

/**
 * Rules see, for each line's code, the flags of that code in master data, of the internal SKU the
 * line maps to, and of every component of a bundle: a cold-chain component makes the bundle line
 * cold-chain.
 */
function lineSkuFlags(order: NormalizedOrder, data: AuditMasterData): Record<string, string[]> {
  const flags: Record<string, string[]> = {};
  for (const line of order.lines) {
    const mapped = data.resolution.matches
      .filter((m) => m.lineId === line.lineId)
      .flatMap((m) => data.skuFlags[m.sku] ?? []);
    const components = data.resolution.components
      .filter((c) => c.lineId === line.lineId)
      .flatMap((c) => c.flags);
    flags[line.skuCode] = [
      ...new Set([
        ...(flags[line.skuCode] ?? []),
        ...(data.skuFlags[line.skuCode] ?? []),
        ...mapped,
        ...components,
      ]),
    ];
  }
  return flags;
}
