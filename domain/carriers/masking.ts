/**
 * Receiver masking for printed waybills (隐私面单): platforms require that labels for their orders
 * show the receiver only partly, as 张*, 138****1234 and 文三路***号.
 */

/** Keeps the family name: 张三 → 张*, 欧阳娜娜 → 欧***, "Li Lei" → L******. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * Keeps the first three and last four digits of a mobile (13800001234 → 138****1234); a privacy
 * number's extension stays (18877771111-123 → 188****1111-123); short numbers keep their ends.
 */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  const [main = '', ...ext] =
    trimmed.split('-').length === 2 && /^\d{11}-\d+$/.test(trimmed) ? trimmed.split('-') : [trimmed];
  const digits = [...main];
  let masked: string;
  if (digits.length >= 11) masked = main.slice(0, 3) + '****' + main.slice(-4);
  else if (digits.length >= 7) masked = main.slice(0, 2) + '*'.repeat(digits.length - 5) + main.slice(-3);
  else masked = '*'.repeat(digits.length);
  return ext.length > 0 ? `${masked}-${ext.join('-')}` : masked;
}

/**
 * Hides house, building and room numbers (文三路100号3幢201室 → 文三路***号*幢***室); a detail
 * without numbers keeps its first half.
 */
export function maskAddressDetail(detail: string): string {
  const text = detail.trim();
  if (/[0-9０-９]/.test(text)) {
    return text.replace(/[0-9０-９A-Za-z-]+/g, (run) => (run.length <= 1 ? '*' : '***'));
  }
  const chars = [...text];
  const keep = Math.ceil(chars.length / 2);
  return chars.slice(0, keep).join('') + '*'.repeat(Math.min(6, chars.length - keep));
}
