import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_order_lifecycle.js';
import * as m0003 from './0003_fulfilment.js';
import * as m0100 from './0100_rules_and_blacklist.js';
import * as m0101 from './0101_auth.js';
import * as m0200 from './0200_capture.js';
import * as m0250 from './0250_message_channels.js';
import * as m0300 from './0300_catalog.js';
import * as m0301 from './0301_stock.js';
import * as m0302 from './0302_wms.js';
import * as m0303 from './0303_wms_systems.js';
import * as m0304 from './0304_wave_candidates.js';
import * as m0400 from './0400_carrier_accounts.js';
import * as m0500 from './0500_event_fences.js';
import * as m0501 from './0501_human_action_outcomes.js';
import * as m0540 from './0540_tax.js';
import * as m0580 from './0580_sealed_labels.js';
import * as m0590 from './0590_stock_wait_resume.js';
import * as m0600 from './0600_rule_descriptions_zh.js';
import * as m0610 from './0610_login_throttle.js';
import * as m0611 from './0611_receivers_at_rest.js';
import * as m0612 from './0612_user_shops.js';
import * as m0700 from './0700_after_sales.js';
import * as m0701 from './0701_after_sale_platform_cases.js';
import * as m0702 from './0702_order_line_refunds.js';
import * as m0730 from './0730_after_sale_returns.js';
import * as m0731 from './0731_after_sale_return_waybills.js';
import * as m0732 from './0732_after_sale_exchange_skus.js';
import * as m0733 from './0733_amazon_return_reads.js';
import * as m0734 from './0734_amazon_refund_feeds.js';
import * as m0735 from './0735_after_sale_return_scans.js';
import * as m0736 from './0736_alert_subjects.js';
import * as m0750 from './0750_after_sale_rules.js';
import * as m0800 from './0800_stock_sync.js';
import * as m0900 from './0900_webhook_inbox.js';
import * as m0901 from './0901_wms_confirmations_by_parcel.js';
import * as m0950 from './0950_sales_facts.js';
import * as m0951 from './0951_order_stage_times.js';
import * as m0952 from './0952_destination_province.js';
import * as m0953 from './0953_basket_itemsets.js';
import * as m0954 from './0954_sales_rollups.js';
import * as m0955 from './0955_basket_rollups.js';
import * as m0956 from './0956_stage_histograms.js';
import * as m0957 from './0957_open_orders.js';
import * as m0958 from './0958_stage_durations_unfolded.js';
import * as m0959 from './0959_carrier_timeliness_hist.js';
import * as m0960 from './0960_sales_sku_periods.js';
import * as m0961 from './0961_sales_buyer_registers.js';
import * as m0962 from './0962_efficiency_rollups.js';
import * as m0963 from './0963_sales_buyer_recency.js';
import * as m0964 from './0964_sales_skus_sold.js';
import * as m0965 from './0965_basket_period_rollups.js';
import * as m0966 from './0966_sales_sku_periods_paid.js';
import * as m0967 from './0967_hold_wait_hist.js';
import * as m1000 from './1000_waybill_accounts.js';
import * as m1001 from './1001_label_reprints.js';
import * as m1002 from './1002_waybill_account_rates.js';
import * as m1003 from './1003_waybill_account_label_size.js';
import * as m1125 from './1125_latam_rates.js';
import * as m1150 from './1150_remark_translations.js';
import * as m1151 from './1151_shop_translation_accounts.js';
import * as m1152 from './1152_after_sale_platform_modified.js';

/**
 * Every migration, in order. A static list (rather than reading the folder) keeps migrations
 * type-checked and lets the compiled build run them without touching the file system.
 * Add new files with the next number and list them here.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_order_lifecycle': m0002,
  '0003_fulfilment': m0003,
  '0100_rules_and_blacklist': m0100,
  '0101_auth': m0101,
  '0200_capture': m0200,
  '0250_message_channels': m0250,
  '0300_catalog': m0300,
  '0301_stock': m0301,
  '0302_wms': m0302,
  '0303_wms_systems': m0303,
  '0304_wave_candidates': m0304,
  '0400_carrier_accounts': m0400,
  '0500_event_fences': m0500,
  '0501_human_action_outcomes': m0501,
  '0540_tax': m0540,
  '0580_sealed_labels': m0580,
  '0590_stock_wait_resume': m0590,
  '0600_rule_descriptions_zh': m0600,
  '0610_login_throttle': m0610,
  '0611_receivers_at_rest': m0611,
  '0612_user_shops': m0612,
  '0700_after_sales': m0700,
  '0701_after_sale_platform_cases': m0701,
  '0702_order_line_refunds': m0702,
  '0730_after_sale_returns': m0730,
  '0731_after_sale_return_waybills': m0731,
  '0732_after_sale_exchange_skus': m0732,
  '0733_amazon_return_reads': m0733,
  '0734_amazon_refund_feeds': m0734,
  '0735_after_sale_return_scans': m0735,
  '0736_alert_subjects': m0736,
  '0750_after_sale_rules': m0750,
  '0800_stock_sync': m0800,
  '0900_webhook_inbox': m0900,
  '0901_wms_confirmations_by_parcel': m0901,
  '0950_sales_facts': m0950,
  '0951_order_stage_times': m0951,
  '0952_destination_province': m0952,
  '0953_basket_itemsets': m0953,
  '0954_sales_rollups': m0954,
  '0955_basket_rollups': m0955,
  '0956_stage_histograms': m0956,
  '0957_open_orders': m0957,
  '0958_stage_durations_unfolded': m0958,
  '0959_carrier_timeliness_hist': m0959,
  '0960_sales_sku_periods': m0960,
  '0961_sales_buyer_registers': m0961,
  '0962_efficiency_rollups': m0962,
  '0963_sales_buyer_recency': m0963,
  '0964_sales_skus_sold': m0964,
  '0965_basket_period_rollups': m0965,
  '0966_sales_sku_periods_paid': m0966,
  '0967_hold_wait_hist': m0967,
  '1000_waybill_accounts': m1000,
  '1001_label_reprints': m1001,
  '1002_waybill_account_rates': m1002,
  '1003_waybill_account_label_size': m1003,
  '1125_latam_rates': m1125,
  '1150_remark_translations': m1150,
  '1151_shop_translation_accounts': m1151,
  '1152_after_sale_platform_modified': m1152,
};
