/**
 * The label stocks: 100 × 150 mm (the standard e-waybill) and 76 × 130 mm (the small one-part
 * waybill the e-waybill services also offer templates for). A waybill account says which one its
 * printer is loaded with (`labelSize`).
 */
export const LABEL_SIZES = ['100x150', '76x130'] as const;
export type LabelSize = (typeof LABEL_SIZES)[number];

export function asLabelSize(value: unknown): LabelSize {
  return value === '76x130' ? '76x130' : '100x150';
}
