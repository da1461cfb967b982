import type { Db } from '../db/connect.js';
import { resolveOrderLines } from '../db/queries/catalog.js';
import { returnRestock } from '../db/queries/stock.js';
import { inspectReturn, type ReturnInspection, type ReturnWaybill } from '../domain/after-sale-returns.js';
import type { CaseLine } from '../domain/after-sales.js';
import type { Platform } from '../domain/platforms.js';
import { asActivity } from './stock/failures.js';

export interface ReturnParcelView {
  source: 'buyer' | 'sf' | 'cainiao' | null;
  carrierCode: string | null;
  trackingNo: string | null;
  status: string;
}

/**
 * Returns on after-sales cases (docs/after-sales.md): the return parcel's record, and shelving
 * what the warehouse received. Every write is keyed by the case, so a retried activity changes
 * nothing the first attempt already did.
 */
export function createAfterSaleReturnActivities({ db }: { db: Db }) {
  return {
    /** Records that the case waits for a parcel back, with the buyer's own waybill when given. */
    async openReturn(input: {
      caseId: string;
      orderId: string;
      waybill: ReturnWaybill | null;
    }): Promise<ReturnParcelView> {
      await db
        .insertInto('after_sale_returns')
        .values({
          case_id: input.caseId,
          order_id: input.orderId,
          waybill_source: input.waybill ? 'buyer' : null,
          carrier_code: input.waybill?.carrierCode ?? null,
          tracking_no: input.waybill?.trackingNo ?? null,
          status: input.waybill ? 'in_transit' : 'awaiting_parcel',
        })
        .onConflict((c) => c.column('case_id').doNothing())
        .execute();
      const row = await db
        .selectFrom('after_sale_returns')
        .selectAll()
        .where('case_id', '=', input.caseId)
        .executeTakeFirstOrThrow();
      return {
        source: row.waybill_source as ReturnParcelView['source'],
        carrierCode: row.carrier_code,
        trackingNo: row.tracking_no,
        status: row.status,
      };
    },

    /**
     * Inspects the case's receipt line by line: the resaleable units the case covers go back to
     * available stock through the ledger (one `return_restock` operation keyed by the case; bundle
     * lines as their components), damaged units are written off with their reason (they left
     * stock when shipped and never re-enter it), wrong items and extra units are held for a person.
     */
    async shelveReturn(input: {
      caseId: string;
      orderId: string;
      lines: CaseLine[];
    }): Promise<ReturnInspection> {
      const receipt = await db
        .selectFrom('after_sale_return_receipts')
        .selectAll()
        .where('case_id', '=', input.caseId)
        .executeTakeFirstOrThrow();
      // What earlier returns on the same order lines took back: a line never comes back twice.
      const earlier = await db
        .selectFrom('after_sale_return_lines as l')
        .innerJoin('after_sale_returns as r', 'r.case_id', 'l.case_id')
        .select([
          'l.line_id',
          (eb) => eb.fn.sum<string>(eb('l.restocked_qty', '+', eb.ref('l.written_off_qty'))).as('back'),
        ])
        .where('r.order_id', '=', input.orderId)
        .where('l.case_id', '!=', input.caseId)
        .groupBy('l.line_id')
        .execute();
      const order = await db
        .selectFrom('orders')
        .select(['platform', 'shop_id'])
        .where('id', '=', input.orderId)
        .executeTakeFirstOrThrow();
      const orderLines = await db
        .selectFrom('order_lines')
        .select(['line_id', 'sku_code', 'platform_sku_id', 'title', 'quantity'])
        .where('order_id', '=', input.orderId)
        .execute();
      const skuOf = new Map(orderLines.map((line) => [line.line_id, line.sku_code]));
      const back = new Map(earlier.map((row) => [row.line_id, Number(row.back)]));
      const room = new Map(
        orderLines.map((line) => [line.line_id, line.quantity - (back.get(line.line_id) ?? 0)]),
      );
      const inspection = inspectReturn(input.lines, receipt.lines, room);
      const toShelve = inspection.lines.filter((line) => line.restock > 0);
      if (toShelve.length > 0) {
        const resolved = await resolveOrderLines(db, {
          platform: order.platform as Platform,
          shopId: order.shop_id,
          lines: toShelve.map((line) => {
            const ordered = orderLines.find((l) => l.line_id === line.lineId)!;
            return {
              lineId: line.lineId,
              skuCode: ordered.sku_code,
              platformSkuId: ordered.platform_sku_id,
              title: ordered.title,
              quantity: line.restock,
              unitPriceFen: 0,
              discountFen: 0,
            };
          }),
        });
        await asActivity(() =>
          returnRestock(db, {
            key: `return-restock:${input.caseId}`,
            warehouse: receipt.warehouse_code,
            orderId: input.orderId,
            reference: input.caseId,
            lines: resolved.lines.map((line) => ({ sku: line.sku, qty: line.qty })),
            reason: 'return inspected resaleable',
            actor: receipt.actor,
          }),
        );
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('after_sale_return_lines')
          .values(
            inspection.lines.map((line) => ({
              case_id: input.caseId,
              line_id: line.lineId,
              sku_code: skuOf.get(line.lineId) ?? '',
              expected_qty: line.expected,
              restocked_qty: line.restock,
              written_off_qty: line.writeOff,
              held_qty: line.held,
              notes: line.notes.length ? line.notes.join('; ') : null,
            })),
          )
          .onConflict((c) => c.columns(['case_id', 'line_id']).doNothing())
          .execute();
        await trx
          .updateTable('after_sale_returns')
          .set({ status: 'inspected' })
          .where('case_id', '=', input.caseId)
          .execute();
      });
      return inspection;
    },
  };
}
