/**
 * Why a platform refused a parcel's tracking upload for good. Each is an answer that a retry gets
 * again: the order was closed or refunded on the platform, the platform does not know the carrier's
 * company code, it will not take a parcel carrying only part of the order, or it withholds what the
 * upload needs. The shipment stops retrying, records it on the order and alerts the shop.
 */
export type UploadRejectionKind =
  | 'order_closed'
  | 'order_refunded'
  | 'unknown_carrier_code'
  | 'partial_shipment_not_allowed'
  | 'decryption_withheld'
  | 'rejected';

export interface UploadRejection {
  kind: UploadRejectionKind;
  platform: string;
  reason: string;
  code: string | null;
}

/** The failure type of a refused tracking upload (an `ApplicationFailure`, details[0] the rejection). */
export const UPLOAD_REJECTED_FAILURE = 'Platform.UploadRejected';
