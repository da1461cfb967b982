import type { RulesTable } from './audit.js';

/** Automatic refund audit rules (0750_after_sale_rules): the same shape as audit and routing rules. */
export interface AfterSaleRuleTables {
  after_sale_rules: RulesTable;
}
