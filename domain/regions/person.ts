import { cleanName } from './names.js';
import type { AddressInput, AddressProblem } from './types.js';

/** Name and phone: present, and a phone that has the digits of one unless the platform masked it. */
export function personProblems(receiver: AddressInput): AddressProblem[] {
  const problems: AddressProblem[] = [];
  if (!cleanName(receiver.name)) problems.push({ field: 'name', code: 'missing', problem: 'is missing' });
  const phone = cleanName(receiver.phone);
  if (!phone) {
    problems.push({ field: 'phone', code: 'missing', problem: 'is missing' });
  } else if (!receiver.protected && !phone.includes('*')) {
    const digits = phone.replace(/\D/g, '').length;
    if (digits < 7 || digits > 20 || /[^\d\s+()#-]/.test(phone)) {
      problems.push({ field: 'phone', code: 'format', problem: `is not a phone number: "${phone}"` });
    }
  }
  return problems;
}
