import { amountDue, type Amounts, type NormalizedOrder } from '../../domain/order.js';
import { analyzeRemark } from '../../domain/remarks/index.js';
import { rateAt, toFen, type ExchangeRate } from './fx.js';

/**
 * The last step every order takes before it is handed to its workflow, whichever way it came
 * (webhook, poll, hand entry): pure, so each path gets the same order from the same input.
 *
 * - Foreign-currency orders are converted to CNY fen at the recorded rate in effect when the
 *   order was paid (or placed), every amount rounded half up once; the rate, its date and the
 *   original amounts stay on the order (`fx`). When the buyer paid exactly what was due, the
 *   converted payment is the converted amount due, so rounding never opens a 1-fen gap that the
 *   payment audit would hold.
 * - Country codes are ISO 3166-1 alpha-2 (`UK` → `GB`, `EL` → `GR`).
 * - The buyer remark is kept as written; the requests it makes become Chinese operator
 *   instructions (`instructions`).
 *
 * An order in a currency with no rate is not guessed at: the caller is told which currency is
 * missing and decides (refuse a human's entry, park a platform's order until a rate exists).
 */
export type IntakePreparation =
  | { ok: true; order: NormalizedOrder }
  | { ok: false; reason: 'no_exchange_rate'; currency: string; message: string };

const COUNTRY_ALIASES: Record<string, string> = { UK: 'GB', EL: 'GR' };

export function prepareIntake(
  order: NormalizedOrder,
  options: { rates: readonly ExchangeRate[] },
): IntakePreparation {
  const country = COUNTRY_ALIASES[order.receiver.country] ?? order.receiver.country;
  const instructions = order.buyerRemark?.trim() ? analyzeRemark(order.buyerRemark).instructions : [];
  const base: NormalizedOrder = {
    ...order,
    receiver: { ...order.receiver, country },
    instructions,
  };
  // Already converted (a parked order released, a snapshot re-submitted): never convert twice.
  if (order.currency === 'CNY' || order.fx) return { ok: true, order: base };

  const at = order.paidAt ?? order.createdAt;
  const rate = rateAt(options.rates, order.currency, at);
  if (!rate) {
    return {
      ok: false,
      reason: 'no_exchange_rate',
      currency: order.currency,
      message: `no exchange rate ${order.currency}→CNY in effect at ${at}; add one with POST /exchange-rates`,
    };
  }
  return { ok: true, order: convert(base, rate) };
}

function convert(order: NormalizedOrder, rate: ExchangeRate): NormalizedOrder {
  const fen = (minor: number) => toFen(minor, order.currency, rate.rate);
  const original = order.amounts;
  const due = amountDue(original);
  const amounts: Amounts = {
    goodsFen: fen(original.goodsFen),
    discountFen: fen(original.discountFen),
    shippingFen: fen(original.shippingFen),
    ...(original.taxFen !== undefined ? { taxFen: fen(original.taxFen) } : {}),
    paidFen: 0,
  };
  const dueFen = amountDue(amounts);
  amounts.paidFen = original.paidFen === due ? dueFen : fen(original.paidFen);

  const presale = order.presale && {
    ...order.presale,
    depositFen: fen(order.presale.depositFen),
    balanceFen:
      order.presale.depositFen + order.presale.balanceFen === due
        ? Math.max(0, dueFen - fen(order.presale.depositFen))
        : fen(order.presale.balanceFen),
  };

  return {
    ...order,
    currency: 'CNY',
    amounts,
    ...(presale ? { presale } : {}),
    lines: order.lines.map((line) => ({
      ...line,
      unitPriceFen: fen(line.unitPriceFen),
      discountFen: fen(line.discountFen),
      ...(line.taxFen !== undefined ? { taxFen: fen(line.taxFen) } : {}),
    })),
    fx: {
      originalCurrency: order.currency,
      rate: rate.rate,
      rateDate: new Date(rate.validFrom).toISOString(),
      originalAmounts: original,
    },
  };
}
