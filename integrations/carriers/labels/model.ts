import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { carrierProfile } from '../../../domain/carriers/registry.js';
import { maskName, maskPhone } from '../../../domain/carriers/masking.js';
import type { PostalAddress, Waybill } from '../types.js';

export interface LabelParty {
  name: string;
  phone: string;
  address: PostalAddress;
}

export interface LabelLine {
  skuCode: string;
  title?: string;
  quantity: number;
}

/** Everything printed on one 100 × 150 mm thermal waybill label. */
export interface LabelData {
  /** null when the platform's own logistics carries the parcel: `carrierName` says who. */
  carrier: CarrierCode | null;
  /** The carrier in the platform's words (Shopee `Shopee Xpress`), when `carrier` is null. */
  carrierName?: string;
  trackingNumber: string;
  /** Large sort code (Cainiao 三段码, SF destRouteLabel), then origin / destination codes. */
  sortCode?: string;
  originCode?: string;
  destinationCode?: string;
  /** The carrier's QR contents, when its label has one. */
  qrCode?: string;
  sender: LabelParty;
  receiver: LabelParty;
  /**
   * Platforms require privacy waybills (隐私面单): the receiver's name and phone are printed masked
   * (张*, 138****1234) unless the caller explicitly allows plaintext. The address is always printed
   * in full: a courier cannot deliver to 文三路***号.
   */
  receiverPrivacy?: 'masked' | 'plaintext';
  lines: LabelLine[];
  /** Platform order ids (several for a merged parcel). */
  orderRefs: string[];
  weightG?: number;
  /** Collect on delivery, in fen. */
  codFen?: number;
  remark?: string;
  printedAt?: Date;
  /**
   * The service's print data sealed for its own print component (PDD 电子面单 for an encrypted
   * receiver): the deliverable label is printed there from it (`GET /shipments/:id/print-task`);
   * ours carries the masks and says so.
   */
  sealedPrint?: { service: string; printData: string; templateUrl?: string };
  /**
   * The platform's own shipping document (Shopee's air waybill), printed as it is: `label.pdf`
   * serves it; a wave's batch prints ours, from the platform's tracking number.
   */
  platformDocument?: { service: string; type: string; pdfBase64: string };
}

/** The label fields a waybill provides. */
export function labelFromWaybill(
  waybill: Waybill,
  rest: Omit<
    LabelData,
    'carrier' | 'trackingNumber' | 'sortCode' | 'originCode' | 'destinationCode' | 'qrCode'
  >,
): LabelData {
  return {
    carrier: waybill.carrier,
    trackingNumber: waybill.trackingNumber,
    ...(waybill.sortCode ? { sortCode: waybill.sortCode } : {}),
    ...(waybill.originCode ? { originCode: waybill.originCode } : {}),
    ...(waybill.destinationCode ? { destinationCode: waybill.destinationCode } : {}),
    ...(waybill.printData?.qrCode ? { qrCode: waybill.printData.qrCode } : {}),
    ...(waybill.printData?.encrypted
      ? {
          sealedPrint: {
            service: waybill.provider,
            printData: waybill.printData.raw,
            ...(waybill.printData.templateUrl ? { templateUrl: waybill.printData.templateUrl } : {}),
          },
        }
      : {}),
    ...rest,
  };
}

/** The receiver as it will be printed. */
export function printedReceiver(label: LabelData): LabelParty {
  if (label.receiverPrivacy === 'plaintext') return label.receiver;
  return { ...label.receiver, name: maskName(label.receiver.name), phone: maskPhone(label.receiver.phone) };
}

export function carrierTitle(code: CarrierCode): { zh: string; en: string } {
  const profile = carrierProfile(code);
  return { zh: profile.nameZh, en: profile.nameEn };
}
