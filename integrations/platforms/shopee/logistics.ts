import { z } from 'zod';
import type { PlatformDelivery } from '../../../domain/platform-logistics.js';
import { RequestRejectedError, TransientPlatformError } from '../errors.js';
import type { PlatformLogisticsPreference, PlatformLogisticsResult, PlatformShipMethod } from '../types.js';
import type { ShopeeClient } from './client.js';

/**
 * Shopee's own logistics (SLS / SPX and the channels Shopee integrates): the order is arranged with
 * `v2.logistics.get_shipping_parameter` → `ship_order` (pickup or dropoff), the tracking number is
 * Shopee's (`get_tracking_number`, empty until the channel issues it), and the label is Shopee's
 * shipping document (`create_shipping_document` → `get_shipping_document_result` →
 * `download_shipping_document`). Paths, parameters and response fields: API-FACTS §5 for
 * `ship_order`; the rest from the same doc dumps the facts cite for Shopee (S-SHP
 * `schemas/v2.logistics.*.json`), see docs/carriers.md.
 */

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const id = z.union([z.string(), z.number().int()]).transform(String);
const words = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

export const ShopeeShippingParameterSchema = z.object({
  /** A method is allowed when its key is present (even empty); its list names the inputs it needs. */
  info_needed: z
    .object({
      pickup: z.array(z.string()).nullish(),
      dropoff: z.array(z.string()).nullish(),
      non_integrated: z.array(z.string()).nullish(),
    })
    .nullish()
    .transform((v) => v ?? {}),
  pickup: z
    .object({
      address_list: z
        .array(
          z.object({
            address_id: id,
            address_flag: words,
            time_slot_list: z
              .array(z.object({ date: z.number().nullish(), pickup_time_id: text, flags: words }))
              .nullish()
              .transform((v) => v ?? []),
          }),
        )
        .nullish()
        .transform((v) => v ?? []),
    })
    .nullish(),
  dropoff: z
    .object({
      branch_list: z
        .array(z.object({ branch_id: id }))
        .nullish()
        .transform((v) => v ?? []),
      slug_list: z
        .array(z.object({ slug: z.string() }))
        .nullish()
        .transform((v) => v ?? []),
    })
    .nullish(),
});
export type ShopeeShippingParameter = z.infer<typeof ShopeeShippingParameterSchema>;

export const ShopeeLogisticsTrackingSchema = z.object({ tracking_number: text, hint: text });

const ResultListSchema = z.object({
  result_list: z
    .array(
      z.object({
        order_sn: text,
        package_number: text,
        status: text,
        fail_error: text,
        fail_message: text,
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

/** What `ship_order` is sent: exactly one method object, with the inputs its parameters asked for. */
export type ShopeeShipChoice =
  | { ok: true; method: PlatformShipMethod; body: Record<string, unknown>; detail: string }
  | { ok: false; ownCarrier: boolean; reason: string };

/**
 * Chooses how the order ships from what `get_shipping_parameter` allows, in the shop's order of
 * preference: pickup at the shop's chosen address (else the one flagged `pickup_address`, else the
 * first) in the slot Shopee flags `recommended` (else the earliest); dropoff at the chosen branch
 * (else the first) with the sender's real name where the channel asks for it. A method that needs a
 * tracking number from a third party is not ours to give; a channel that allows only
 * `non_integrated` is the seller's own carrier (`ownCarrier`).
 */
export function chooseShopeeShipment(
  param: ShopeeShippingParameter,
  preference: PlatformLogisticsPreference,
): ShopeeShipChoice {
  const allowed = (['pickup', 'dropoff', 'non_integrated'] as const).filter(
    (m) => param.info_needed[m] != null,
  );
  const why: string[] = [];
  for (const method of preference.methods) {
    const needs = param.info_needed[method];
    if (needs == null) continue;
    if (needs.some((n) => n === 'tracking_number' || n === 'tracking_no')) {
      why.push(`${method} needs a tracking number from the carrier`);
      continue;
    }
    if (method === 'pickup') {
      const addresses = param.pickup?.address_list ?? [];
      const address =
        addresses.find((a) => a.address_id === preference.pickupAddressId) ??
        addresses.find((a) => a.address_flag.includes('pickup_address')) ??
        addresses[0];
      if (!address && needs.includes('address_id')) {
        why.push('pickup offers no address');
        continue;
      }
      const slots = [...(address?.time_slot_list ?? [])].sort((a, b) => (a.date ?? 0) - (b.date ?? 0));
      const slot = slots.find((s) => s.flags.includes('recommended')) ?? slots[0];
      if (needs.includes('pickup_time_id') && !slot?.pickup_time_id) {
        why.push('pickup offers no time slot');
        continue;
      }
      const pickup: Record<string, unknown> = {};
      if (address) pickup.address_id = Number(address.address_id);
      if (slot?.pickup_time_id) pickup.pickup_time_id = slot.pickup_time_id;
      return {
        ok: true,
        method,
        body: { pickup },
        detail: `pickup from address ${address?.address_id ?? '-'}${slot?.pickup_time_id ? `, slot ${slot.pickup_time_id}` : ''}`,
      };
    }
    if (method === 'dropoff') {
      const dropoff: Record<string, unknown> = {};
      if (needs.includes('branch_id')) {
        const branches = param.dropoff?.branch_list ?? [];
        const branch = branches.find((b) => b.branch_id === preference.dropoffBranchId) ?? branches[0];
        if (!branch) {
          why.push('dropoff offers no branch');
          continue;
        }
        dropoff.branch_id = Number(branch.branch_id);
      }
      if (needs.includes('sender_real_name')) {
        if (!preference.senderRealName) {
          why.push('dropoff needs the sender’s real name: shop setting platformLogistics.senderRealName');
          continue;
        }
        dropoff.sender_real_name = preference.senderRealName;
      }
      if (needs.includes('slug')) {
        const slug = param.dropoff?.slug_list?.[0]?.slug;
        if (slug) dropoff.slug = slug;
      }
      return {
        ok: true,
        method,
        body: { dropoff },
        detail: `dropoff${dropoff.branch_id !== undefined ? ` at branch ${String(dropoff.branch_id)}` : ''}`,
      };
    }
  }
  if (allowed.length === 1 && allowed[0] === 'non_integrated') {
    return {
      ok: false,
      ownCarrier: true,
      reason: 'the order’s channel is non-integrated: it ships with the seller’s own carrier',
    };
  }
  return {
    ok: false,
    ownCarrier: false,
    reason:
      `Shopee allows ${allowed.join(', ') || 'no method'} for this order, the shop ships by ` +
      `${preference.methods.join(', ')}${why.length ? ` (${why.join('; ')})` : ''}`,
  };
}

/** The logistics calls themselves, each one Shopee request. */
export function shopeeLogisticsCalls(client: ShopeeClient) {
  const pkg = (packageNumber?: string): Record<string, string> =>
    packageNumber ? { package_number: packageNumber } : {};
  return {
    shippingParameter: (orderSn: string, packageNumber?: string) =>
      client.get(
        '/api/v2/logistics/get_shipping_parameter',
        { order_sn: orderSn, ...pkg(packageNumber) },
        ShopeeShippingParameterSchema,
      ),
    shipOrder: (orderSn: string, packageNumber: string | undefined, method: Record<string, unknown>) =>
      client.post(
        '/api/v2/logistics/ship_order',
        { order_sn: orderSn, ...pkg(packageNumber), ...method },
        z.unknown(),
      ),
    trackingNumber: (orderSn: string, packageNumber?: string) =>
      client.get(
        '/api/v2/logistics/get_tracking_number',
        { order_sn: orderSn, ...pkg(packageNumber) },
        ShopeeLogisticsTrackingSchema,
      ),

    /**
     * The shipping document as a PDF: created for the tracking number, waited on while PROCESSING
     * (`polls` times, `pollMs` apart), then downloaded. A FAILED task or a refusal answers `failed`
     * with Shopee's words; still PROCESSING throws a transient error (the caller tries again later).
     */
    async shippingDocument(input: {
      orderSn: string;
      packageNumber?: string;
      trackingNumber: string;
      documentType: string;
      polls?: number;
      pollMs?: number;
    }): Promise<{ pdf: Buffer } | { failed: string }> {
      const entry = { order_sn: input.orderSn, ...pkg(input.packageNumber) };
      const failure = (r: { fail_error: string; fail_message: string }) =>
        r.fail_error ? `${r.fail_error}: ${r.fail_message}` : '';
      try {
        const created = await client.post(
          '/api/v2/logistics/create_shipping_document',
          {
            order_list: [
              { ...entry, tracking_number: input.trackingNumber, shipping_document_type: input.documentType },
            ],
          },
          ResultListSchema,
        );
        const refused = created.result_list.map(failure).find(Boolean);
        if (refused) return { failed: refused };
        for (let i = 0; ; i += 1) {
          const result = await client.post(
            '/api/v2/logistics/get_shipping_document_result',
            { order_list: [{ ...entry, shipping_document_type: input.documentType }] },
            ResultListSchema,
          );
          const row = result.result_list[0];
          if (!row) return { failed: 'get_shipping_document_result answered no result' };
          if (failure(row)) return { failed: failure(row) };
          if (row.status === 'FAILED') return { failed: 'the shipping document task FAILED' };
          if (row.status === 'READY') break;
          if (i + 1 >= (input.polls ?? 5)) {
            throw new TransientPlatformError(
              `shopee shipping document of ${input.orderSn} is still ${row.status || 'PROCESSING'}`,
              'shopee',
              'document_processing',
            );
          }
          await new Promise((r) => setTimeout(r, input.pollMs ?? 1000));
        }
        const file = await client.download('/api/v2/logistics/download_shipping_document', {
          shipping_document_type: input.documentType,
          order_list: [entry],
        });
        return { pdf: file.bytes };
      } catch (err) {
        if (err instanceof RequestRejectedError) return { failed: err.message };
        throw err;
      }
    },
  };
}

export type { PlatformLogisticsPreference, PlatformLogisticsResult };

/** Order statuses that say the buyer has the parcel (API-FACTS §5; meanings ❓ there, the standard ones). */
const DELIVERED_STATUSES = new Set(['TO_CONFIRM_RECEIVE', 'COMPLETED']);
/**
 * After handover: a return under way (`TO_RETURN`), or an order Shopee cancelled after it shipped
 * (a failed delivery comes back to the seller). `IN_CANCEL` is a request before shipping, not this.
 */
const RETURNING_STATUSES = new Set(['TO_RETURN', 'CANCELLED']);

/**
 * Where a parcel Shopee's logistics carries stands, from `get_order_detail`: the order's
 * `order_status` (✅ values) first; a split order's package by its `logistics_status` (⚠️ values:
 * `LOGISTICS_DELIVERY_DONE` delivered, `LOGISTICS_DELIVERY_FAILED` coming back), since the order's
 * own status waits for its last package.
 */
export function shopeeDelivery(
  order: { order_status: string; package_list: Array<{ package_number: string; logistics_status: string }> },
  packageNumber?: string,
): PlatformDelivery {
  const pkg = packageNumber
    ? order.package_list.find((p) => p.package_number === packageNumber)
    : order.package_list[0];
  const logisticsStatus = pkg?.logistics_status || null;
  const at = (state: PlatformDelivery['state'], confirmed = false): PlatformDelivery => ({
    state,
    confirmed,
    orderStatus: order.order_status,
    logisticsStatus,
  });
  if (order.order_status === 'COMPLETED') return at('delivered', true);
  if (DELIVERED_STATUSES.has(order.order_status)) return at('delivered');
  if (RETURNING_STATUSES.has(order.order_status)) return at('returning');
  if (logisticsStatus === 'LOGISTICS_DELIVERY_DONE') return at('delivered');
  if (logisticsStatus === 'LOGISTICS_DELIVERY_FAILED') return at('returning');
  return at('in_transit');
}
