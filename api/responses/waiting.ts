import { z } from 'zod';
import { WAITING_CODES } from '../../domain/waiting.js';

/**
 * What an order, parcel or after-sales case waits for, as a code and its particulars
 * (domain/waiting.ts): clients say it in their own language; `waitingFor` keeps the English
 * sentence. Absent when the answering worker predates the codes.
 */
export const WaitingSchema = z
  .object({
    code: z.enum(WAITING_CODES),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .nullable()
  .optional();
