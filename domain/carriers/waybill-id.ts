/**
 * The waybill idempotency key for a shipment: one waybill per shipment and attempt. Services cap
 * their order-id fields at 64 characters (SF orderId, Cainiao package id), so long shipment ids
 * keep their head and a hash of the whole. Pure, so workflows can derive it too.
 */
export function waybillRequestId(shipmentId: string, attempt = 1): string {
  const base = shipmentId.replace(/[^A-Za-z0-9_-]/g, '-') + (attempt === 1 ? '' : `-r${attempt}`);
  if (base.length <= 64) return base;
  return `${base.slice(0, 55)}-${fnv1a(base)}`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
