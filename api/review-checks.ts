import { resolveOrderLines } from '../db/queries/catalog.js';
import type { Db } from '../db/connect.js';
import { CARRIER_REGISTRY } from '../domain/carriers/registry.js';
import type { OrderLine, Receiver } from '../domain/order.js';
import type { Platform } from '../domain/platforms.js';
import { validateChineseAddress } from '../domain/regions/address.js';
import { StockError } from '../domain/stock/errors.js';
import type { FieldIssue } from './errors.js';

/**
 * What makes a well-formed review decision impossible to apply (HTTP 422): checks that need the
 * catalog, the carrier registry or the region data, none of which a workflow's Update validator
 * can read. The shape was already checked by the route schema (400).
 */

export interface ReviewRequest {
  decision: 'approve' | 'reject' | 'edit';
  reason?: string | undefined;
  edits?: {
    receiver?: Partial<Receiver> | undefined;
    lines?: OrderLine[] | undefined;
    carrierPreference?: string | null | undefined;
    sellerMemo?: string | undefined;
  };
}

/** The order as the projection has it: where its lines map, and the receiver edits apply to. */
export interface ReviewedOrder {
  platform: Platform;
  shopId: string;
  /** The receiver after earlier edits (`effective_receiver`), else the platform's. */
  receiver: Receiver;
}

/** Who receives the parcel; every other receiver field says where it goes. */
const PERSON_FIELDS: ReadonlySet<string> = new Set(['name', 'phone']);
/** Not part of the address a courier reads. */
const HANDLING_FIELDS: ReadonlySet<string> = new Set(['protected', 'addressHandle']);

export function needsOrder(request: ReviewRequest): boolean {
  return request.decision === 'edit' && Boolean(request.edits?.lines || request.edits?.receiver);
}

export async function reviewProblems(
  db: Db,
  request: ReviewRequest,
  order: ReviewedOrder | null,
): Promise<FieldIssue[]> {
  if (request.decision === 'reject' && !request.reason?.trim()) {
    return [{ field: 'body.reason', problem: 'a reason is required to reject an order' }];
  }
  if (request.decision !== 'edit' || !request.edits) return [];
  const { edits } = request;
  const issues: FieldIssue[] = [];
  const carrier = edits.carrierPreference;
  if (carrier && !Object.hasOwn(CARRIER_REGISTRY, carrier)) {
    issues.push({
      field: 'body.edits.carrierPreference',
      problem: `"${carrier}" is not a carrier in the registry (codes are upper case, e.g. SF, ZTO, YTO, JD, EMS)`,
    });
  }
  if (order && edits.receiver) issues.push(...receiverProblems(order.receiver, edits.receiver));
  if (order && edits.lines) issues.push(...(await lineProblems(db, order, edits.lines)));
  return issues;
}

/**
 * The edited receiver must be deliverable: when the edit moves the address, the merged address is
 * checked; an edited name or phone is checked too.
 */
function receiverProblems(current: Receiver, edit: Partial<Receiver>): FieldIssue[] {
  const edited = Object.keys(edit);
  const movesAddress = edited.some((f) => !PERSON_FIELDS.has(f) && !HANDLING_FIELDS.has(f));
  return validateChineseAddress({ ...current, ...edit })
    .problems.filter((p) => (PERSON_FIELDS.has(p.field) ? edited.includes(p.field) : movesAddress))
    .map((p) => ({ field: `body.edits.receiver.${p.field}`, problem: p.problem }));
}

/** Every edited line must be a SKU we can ship: mapped (or an internal code), bundles intact. */
async function lineProblems(db: Db, order: ReviewedOrder, lines: OrderLine[]): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  lines.forEach((line, i) => {
    if (lines.findIndex((l) => l.lineId === line.lineId) !== i)
      issues.push({
        field: `body.edits.lines.${i}.lineId`,
        problem: `"${line.lineId}" is used by another line`,
      });
  });
  try {
    const resolved = await resolveOrderLines(db, { platform: order.platform, shopId: order.shopId, lines });
    for (const unmapped of resolved.unmapped) {
      const index = lines.findIndex((l) => l.lineId === unmapped.lineId);
      issues.push({
        field: `body.edits.lines.${index}.skuCode`,
        problem: `unknown SKU: ${unmapped.problem}`,
      });
    }
  } catch (err) {
    if (!(err instanceof StockError)) throw err;
    issues.push({ field: 'body.edits.lines', problem: err.message });
  }
  return issues;
}
