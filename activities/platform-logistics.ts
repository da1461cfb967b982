import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { dataKeyring } from '../db/crypto/data-keys.js';
import { saveLabel } from '../db/queries/labels.js';
import { findShop } from '../db/queries/shops.js';
import type { Receiver } from '../domain/order.js';
import {
  PLATFORM_LOGISTICS,
  PLATFORM_LOGISTICS_REFUSED_FAILURE,
  TRACKING_NUMBER_PENDING_FAILURE,
  platformLogisticsPolicy,
  type PlatformDelivery,
  type PlatformLogisticsRefusal,
  type PlatformShipment,
} from '../domain/platform-logistics.js';
import { PlatformSchema } from '../domain/platforms.js';
import type { LabelData, LabelLine } from '../integrations/carriers/labels/model.js';
import { AuthError, RequestRejectedError } from '../integrations/platforms/errors.js';
import type { PlatformGateway } from '../integrations/platforms/gateway.js';

export interface PlatformLogisticsDeps {
  db: Db;
  config: Config;
  platforms: PlatformGateway;
}

/**
 * Parcels that ship through their platform's own logistics (Shopee): the platform arranges the
 * collection, issues the tracking number and the shipping document; no carrier of ours is chosen.
 */
export function createPlatformLogisticsActivities(deps: PlatformLogisticsDeps) {
  const ring = dataKeyring(deps.config);

  return {
    /**
     * Where a parcel the platform's logistics carries stands after handover, asked of the platform
     * each time (read only: a retry simply asks again); null where the shop's adapter cannot say.
     */
    async checkPlatformDelivery(input: {
      shopId: string;
      platformOrderId: string;
      packageNumber?: string;
    }): Promise<PlatformDelivery | null> {
      const delivery = await deps.platforms.platformDelivery(input.shopId, {
        platformOrderId: input.platformOrderId,
        ...(input.packageNumber ? { packageNumber: input.packageNumber } : {}),
      });
      return delivery ?? null;
    },

    /**
     * Arranges the parcel with the platform (once: a retry finds it arranged). Without a tracking
     * number yet it answers `arranged`; asked again with `arranged`, it waits for the number
     * (`Platform.TrackingNumberPending`, retried by Temporal until issued). Then it keeps
     * the platform's shipping document as the parcel's label (ours, from the tracking number, when
     * the platform gives none) and marks the order's tracking as the platform's. A refusal is
     * `Platform.LogisticsRefused` (non-retryable, the platform's words); a shop or channel that
     * ships with the seller's carriers answers `own_carrier`.
     */
    async shipThroughPlatform(input: {
      shipmentId: string;
      shopId: string;
      platform: string;
      warehouse: string;
      orders: Array<{ platformOrderId: string; lineIds: string[]; wholeOrder: boolean; receiver: Receiver }>;
      lines: LabelLine[];
      weightG: number;
      /** How an earlier call arranged it: then a missing tracking number is waited for here. */
      arranged?: string;
    }): Promise<PlatformShipment> {
      const platform = PlatformSchema.parse(input.platform);
      const shop = await findShop(deps.db, input.shopId);
      const policy = platformLogisticsPolicy(platform, shop?.settings);
      if (!policy) {
        return {
          kind: 'own_carrier',
          reason: `the shop ships its ${platform} orders with its own carriers (settings.platformLogistics)`,
        };
      }
      const first = input.orders[0]!;
      const refuse = (code: string | null, reason: string) => {
        const refusal: PlatformLogisticsRefusal = {
          platform,
          platformOrderId: first.platformOrderId,
          code,
          reason,
        };
        return ApplicationFailure.create({
          type: PLATFORM_LOGISTICS_REFUSED_FAILURE,
          message: `${platform} logistics refused ${first.platformOrderId}: ${reason}`,
          nonRetryable: true,
          details: [refusal],
        });
      };
      if (input.orders.length > 1) {
        throw refuse(
          'several_orders',
          `the parcel carries ${input.orders.length} orders (${input.orders.map((o) => o.platformOrderId).join(', ')}); ` +
            `${PLATFORM_LOGISTICS[platform]!.name} gives each order its own tracking number and document: split it in the warehouse`,
        );
      }
      let result;
      try {
        result = await deps.platforms.shipThroughPlatform(input.shopId, {
          platformOrderId: first.platformOrderId,
          ...(first.wholeOrder ? {} : { lineIds: first.lineIds }),
          preference: policy.preference,
        });
      } catch (err) {
        // Refused for good, or the shop's authorization (a bad sign, an expired token): a person acts.
        if (err instanceof RequestRejectedError || err instanceof AuthError) {
          throw refuse(err.code ?? null, err.message);
        }
        throw err;
      }
      if (!result) return { kind: 'own_carrier', reason: `${platform} has no logistics API here` };
      if (result.kind === 'own_carrier') return result;
      if (result.kind === 'pending' && !input.arranged) {
        return { kind: 'arranged', method: result.method, ...(result.hint ? { hint: result.hint } : {}) };
      }
      if (result.kind === 'pending') {
        throw ApplicationFailure.create({
          type: TRACKING_NUMBER_PENDING_FAILURE,
          message:
            `${first.platformOrderId} is arranged (${result.method}); ${platform} has not issued its tracking number yet` +
            (result.hint ? `: ${result.hint}` : ''),
        });
      }
      const carrierName = result.carrierName || PLATFORM_LOGISTICS[platform]!.name;
      const method = result.method === 'arranged earlier' && input.arranged ? input.arranged : result.method;
      const warehouse = await deps.db
        .selectFrom('warehouses')
        .select(['name', 'province'])
        .where('code', '=', input.warehouse)
        .executeTakeFirst();
      const r = first.receiver;
      const label: LabelData = {
        carrier: null,
        carrierName,
        trackingNumber: result.trackingNumber,
        sender: {
          name: warehouse?.name ?? input.warehouse,
          phone: '',
          address: { province: warehouse?.province ?? '', city: '', district: '', detail: '' },
        },
        // As the platform shows it (masked): the platform's own label carries the deliverable one.
        receiver: {
          name: r.name,
          phone: r.phone,
          address: {
            province: r.province,
            city: r.city,
            district: r.district,
            ...(r.town ? { town: r.town } : {}),
            detail: r.detail,
          },
        },
        lines: input.lines,
        orderRefs: [first.platformOrderId],
        weightG: input.weightG,
        printedAt: new Date(),
        remark: `${PLATFORM_LOGISTICS[platform]!.name}: ${method}`,
        ...('pdf' in result.document
          ? {
              platformDocument: {
                service: platform,
                type: policy.preference.documentType,
                pdfBase64: result.document.pdf.toString('base64'),
              },
            }
          : {}),
      };
      await saveLabel(deps.db, ring, {
        shipmentId: input.shipmentId,
        trackingNumber: result.trackingNumber,
        label,
      });
      // The platform issued the number: it has it, nothing is uploaded after handover.
      await deps.db
        .updateTable('shipment_orders')
        .set({ tracking_uploaded_at: new Date() })
        .where('shipment_id', '=', input.shipmentId)
        .execute();
      return {
        kind: 'shipped',
        trackingNumber: result.trackingNumber,
        carrierName,
        method,
        ...(result.packageNumber ? { packageNumber: result.packageNumber } : {}),
        document:
          'pdf' in result.document
            ? 'platform'
            : `ours: ${platform} gave no shipping document (${result.document.failed})`,
      };
    },
  };
}
