import { sql, type Kysely } from 'kysely';

/**
 * The default audit rules were seeded with English descriptions; the people who read them work in
 * Chinese. A default rule whose description is still the seeded English gets its Chinese as a new
 * version by `system` (with its revision); a description someone wrote stays as it is.
 */
const DESCRIPTIONS: ReadonlyArray<[id: string, english: string, chinese: string]> = [
  ['blacklisted', 'The buyer id, phone or address is on the blacklist.', '买家账号、电话或地址在黑名单中。'],
  [
    'address-invalid',
    'Receiver address is incomplete or names no real province/city/district.',
    '收货地址不完整，或省市区不存在。',
  ],
  [
    'buyer-remark',
    'Buyer remark asks for something beyond routine instructions (invoice, address change, custom work, a carrier) or cannot be understood.',
    '买家留言超出常规要求（开发票、改地址、定制、指定快递等）或无法识别。',
  ],
  ['seller-memo-stop', 'Seller memo tells the warehouse to wait.', '卖家备注要求仓库暂缓发货。'],
  [
    'custom-made',
    'A line is a custom-made SKU: the personalization must be checked before production.',
    '订单含定制商品：生产前需核对定制内容。',
  ],
  [
    'large-amount',
    'Paid ¥5,000 or more: finance confirms the payment before shipping.',
    '实付 ¥5,000 及以上：财务确认收款后再发货。',
  ],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [id, english, chinese] of DESCRIPTIONS) {
    await sql`
      with changed as (
        update audit_rules
           set definition = jsonb_set(definition, '{description}', to_jsonb(${chinese}::text)),
               version = version + 1, updated_by = 'system', updated_at = now()
         where id = ${id} and definition->>'description' = ${english}
        returning id, definition, enabled, version
      )
      insert into rule_revisions (kind, rule_id, version, definition, enabled, actor)
      select 'audit', id, version, definition, enabled, 'system' from changed
    `.execute(db);
  }
}

/** Nothing to undo: the Chinese descriptions are versions in the rules' history like any edit. */
export async function down(): Promise<void> {}
