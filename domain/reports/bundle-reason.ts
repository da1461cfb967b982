/** The rule a suggested bundle rests on: orders with `antecedent` also hold `consequent`. */
export interface BundleBasis {
  antecedent: readonly string[];
  consequent: string;
  confidence: number;
  lift: number;
}

/**
 * Why a bundle is suggested, in a sentence. The API's `because` is English; Excel exports (Chinese
 * headings) and the web UI say it in Chinese from the same figures.
 */
export function bundleBecause(b: BundleBasis, language: 'en' | 'zh' = 'en'): string {
  const pct = `${Math.round(b.confidence * 100)}%`;
  const bought = b.antecedent.join(' + ');
  return language === 'zh'
    ? `买了 ${bought} 的订单中 ${pct} 也买了 ${b.consequent}（是平均的 ${b.lift} 倍）`
    : `${pct} of the orders with ${bought} also hold ${b.consequent} (${b.lift}× chance)`;
}
