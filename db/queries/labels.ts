import { asLabelSize, type LabelSize } from '../../domain/carriers/label-size.js';
import type { Db } from '../connect.js';
import { openText, sealText, type DataKeyring } from '../crypto/data-keys.js';

/**
 * Printed labels. What a label prints (LabelData, with the receiver the courier needs) is kept
 * sealed under DATA_KEYS, bound to its shipment, and rendered when someone prints it.
 */

const aad = (shipmentId: string) => `shipment_labels:${shipmentId}`;

export async function saveLabel(
  db: Db,
  ring: DataKeyring,
  input: { shipmentId: string; trackingNumber: string; label: unknown },
): Promise<void> {
  const sealed = sealText(ring, JSON.stringify(input.label), aad(input.shipmentId));
  await db
    .insertInto('shipment_labels')
    .values({
      shipment_id: input.shipmentId,
      tracking_number: input.trackingNumber,
      sealed,
      pdf: null,
      data: null,
    })
    .onConflict((oc) =>
      oc
        .column('shipment_id')
        .doUpdateSet({ tracking_number: input.trackingNumber, sealed, pdf: null, data: null }),
    )
    .execute();
}

export type StoredLabel =
  | { shipmentId: string; trackingNumber: string; label: Record<string, unknown>; pdf?: undefined }
  /** Written before labels were sealed: the PDF as printed then. */
  | { shipmentId: string; trackingNumber: string; label: Record<string, unknown>; pdf: Buffer };

function unseal(
  ring: DataKeyring,
  row: {
    shipment_id: string;
    tracking_number: string;
    sealed: string | null;
    pdf: Buffer | null;
    data: Record<string, unknown> | null;
  },
): StoredLabel {
  if (row.sealed) {
    const label = JSON.parse(openText(ring, row.sealed, aad(row.shipment_id))) as Record<string, unknown>;
    return { shipmentId: row.shipment_id, trackingNumber: row.tracking_number, label };
  }
  return {
    shipmentId: row.shipment_id,
    trackingNumber: row.tracking_number,
    label: row.data ?? {},
    pdf: row.pdf!,
  };
}

export async function loadLabel(
  db: Db,
  ring: DataKeyring,
  shipmentId: string,
): Promise<StoredLabel | undefined> {
  const row = await db
    .selectFrom('shipment_labels')
    .select(['shipment_id', 'tracking_number', 'sealed', 'pdf', 'data'])
    .where('shipment_id', '=', shipmentId)
    .executeTakeFirst();
  return row ? unseal(ring, row) : undefined;
}

/** A wave's labels in shipment order (cancelled parcels left out). */
export async function loadWaveLabels(db: Db, ring: DataKeyring, waveId: string): Promise<StoredLabel[]> {
  const rows = await db
    .selectFrom('shipment_labels as l')
    .innerJoin('shipments as s', 's.id', 'l.shipment_id')
    .select(['l.shipment_id', 'l.tracking_number', 'l.sealed', 'l.pdf', 'l.data'])
    .where('s.wave_id', '=', waveId)
    .where('s.stage', '<>', 'cancelled')
    .orderBy('s.id')
    .execute();
  return rows.map((row) => unseal(ring, row));
}

/**
 * The label stock of the account that issued each shipment's waybill (`labelSize`); a shipment
 * whose waybill no account issued is left out (the standard stock).
 */
export async function issuingAccountLabelSizes(
  db: Db,
  shipmentIds: readonly string[],
): Promise<Map<string, LabelSize>> {
  const sizes = new Map<string, LabelSize>();
  if (shipmentIds.length === 0) return sizes;
  const shipments = await db
    .selectFrom('shipments')
    .select(['id', 'waybill'])
    .where('id', 'in', [...shipmentIds])
    .execute();
  const accountOf = new Map<string, string>();
  for (const s of shipments) {
    const id = s.waybill?.accountId;
    if (typeof id === 'string') accountOf.set(s.id, id);
  }
  if (accountOf.size === 0) return sizes;
  const accounts = await db
    .selectFrom('waybill_accounts')
    .select(['id', 'label_size'])
    .where('id', 'in', [...new Set(accountOf.values())])
    .execute();
  const sizeOf = new Map(accounts.map((a) => [a.id, asLabelSize(a.label_size)]));
  for (const [shipment, account] of accountOf) {
    const size = sizeOf.get(account);
    if (size) sizes.set(shipment, size);
  }
  return sizes;
}
