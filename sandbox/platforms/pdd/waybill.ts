import { randomBytes } from 'node:crypto';
import { CainiaoBranches } from '../../carriers/cainiao-branches.js';
import { carrierForCode } from '../../carriers/codes.js';
import type { CarrierNetwork } from '../../carriers/network.js';
import type { PddCipher } from './cipher.js';

/**
 * PDD 电子面单 on the simulated PDD gateway: `pdd.waybill.search` (subscriptions, branches and
 * balances per mall), `pdd.waybill.get` (one waybill per package, drawn from a branch's balance)
 * and `pdd.waybill.cancel` (the waybill goes back to its branch). A receiver may be given as the
 * ciphertext the mall's order carries: it must open with this platform's key for an order listed in
 * `trade_order_list` — a ciphertext of another order, or garbage, is refused — and the print data
 * then comes back encrypted (`encryptedData`), as PDD's print component would get it. Address
 * rules: a destination in `unreachable` (province or province+city) is refused as 超区.
 * Error codes are ❓ (PDD's waybill error table is not in API-FACTS); the messages carry the words
 * sellers see (余额不足, 未开通, 超区).
 */
export interface PddWaybillSim {
  /** Branches and balances per mall id (unmetered when a mall has none). */
  branches: CainiaoBranches;
  /** Destinations no branch delivers to: `省` or `省/市`. */
  unreachable: Set<string>;
  /** Where issued parcels go, so the carriers' tracking simulators can follow them. */
  network?: CarrierNetwork;
}

type Fault = (code: number, message: string, subCode?: string, subMsg?: string) => Error;

interface Issued {
  mallId: string;
  wpCode: string;
  branchCode: string | null;
  waybillCode: string;
  module: Record<string, unknown>;
  cancelled: boolean;
}

export function createPddWaybillSim(network?: CarrierNetwork): PddWaybillSim {
  return { branches: new CainiaoBranches(), unreachable: new Set(), ...(network ? { network } : {}) };
}

export function pddWaybillApis(sim: PddWaybillSim, cipher: PddCipher, fault: Fault) {
  const issued = new Map<string, Issued>();
  const byCode = new Map<string, Issued>();
  let seq = 0;

  const json = (raw: string | undefined, name: string): Record<string, unknown> => {
    try {
      const value = JSON.parse(raw ?? '') as unknown;
      if (value && typeof value === 'object') return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw fault(10000, '参数错误', 'isv.invalid-parameter', `${name} 不是合法的 JSON`);
  };

  /** Opens a ciphertext for one of the orders; plaintext is passed through as it is. */
  const open = (value: unknown, orders: string[], field: string): string => {
    const text = String(value ?? '');
    if (!text.startsWith('~')) return text;
    for (const orderSn of orders) {
      const opened = cipher.decrypt(orderSn, text);
      if (opened) return opened.plaintext;
    }
    throw fault(30003, '收件人信息解密失败', 'isv.RECEIVER_DECRYPT_FAILED', `${field} 密文与订单不匹配`);
  };

  function get(params: Record<string, string>, mallId: string) {
    const req = json(
      params['param_waybillcloudprint_apply_new_request'],
      'param_waybillcloudprint_apply_new_request',
    );
    const wpCode = String(req['wp_code'] ?? '');
    const carrier = carrierForCode('cainiao', wpCode);
    if (!carrier)
      throw fault(30001, '不支持的快递公司', 'isv.WP_CODE_NOT_SUPPORT', `不支持的快递公司 ${wpCode}`);
    const sender = (req['sender'] ?? {}) as Record<string, unknown>;
    const senderAddress = (sender['address'] ?? {}) as Record<string, unknown>;
    if (!senderAddress['province'] || !senderAddress['detail'])
      throw fault(30002, '发件人信息不完整', 'isv.SENDER_ERROR', '发件人地址不完整');
    const dtos = Array.isArray(req['trade_order_info_dtos'])
      ? (req['trade_order_info_dtos'] as Array<Record<string, unknown>>)
      : [];
    if (dtos.length === 0 || dtos.length > 10)
      throw fault(10000, '参数错误', 'isv.invalid-parameter', 'trade_order_info_dtos 需为 1-10 条');
    const branchCode = req['branch_code'] ? String(req['branch_code']) : undefined;
    return {
      waybill_get_response: {
        modules: dtos.map((dto) => issue(mallId, wpCode, carrier, senderAddress, dto, branchCode)),
      },
    };
  }

  function issue(
    mallId: string,
    wpCode: string,
    carrier: string,
    senderAddress: Record<string, unknown>,
    dto: Record<string, unknown>,
    branchCode: string | undefined,
  ) {
    const objectId = String(dto['object_id'] ?? '');
    const orderInfo = (dto['order_info'] ?? {}) as Record<string, unknown>;
    const orders = Array.isArray(orderInfo['trade_order_list'])
      ? orderInfo['trade_order_list'].map(String)
      : [];
    if (!objectId || orders.length === 0)
      throw fault(10000, '参数错误', 'isv.invalid-parameter', 'object_id 和 trade_order_list 必填');
    const packageInfo = (dto['package_info'] ?? {}) as Record<string, unknown>;
    const key = [mallId, wpCode, String(packageInfo['id'] ?? objectId), orders.join(',')].join('|');
    const again = issued.get(key);
    if (again) return { ...again.module, object_id: objectId };

    const recipient = (dto['recipient'] ?? {}) as Record<string, unknown>;
    const address = (recipient['address'] ?? {}) as Record<string, unknown>;
    const encrypted = [recipient['name'], recipient['mobile'], address['detail']].some((v) =>
      String(v ?? '').startsWith('~'),
    );
    const name = open(recipient['name'], orders, 'name');
    const mobile = open(recipient['mobile'], orders, 'mobile');
    const detail = open(address['detail'], orders, 'detail');
    if (!name || !mobile || !detail || !address['province'])
      throw fault(30002, '收件人信息不完整', 'isv.RECIPIENT_ERROR', '收件人信息不完整');
    const province = String(address['province']);
    const city = String(address['city'] ?? '');
    if (sim.unreachable.has(province) || sim.unreachable.has(`${province}/${city}`))
      throw fault(
        30004,
        '地址不可达',
        'isv.ADDRESS_NOT_REACHABLE',
        `${province}${city} 超区，不在该快递公司服务范围内`,
      );
    const drawn = sim.branches.draw(mallId, wpCode, branchCode);
    if (!drawn.ok) {
      throw drawn.kind === 'no_balance'
        ? fault(
            30005,
            '电子面单余额不足',
            'isv.WAYBILL_BALANCE_NOT_ENOUGH',
            '电子面单余额不足，请联系网点充值',
          )
        : fault(
            30006,
            '未开通电子面单',
            'isv.WAYBILL_SUBSCRIPTION_NOT_EXIST',
            '未开通该快递公司的电子面单服务（未订购）',
          );
    }
    const origin = { province: String(senderAddress['province']), city: String(senderAddress['city'] ?? '') };
    const destination = {
      province,
      city,
      ...(address['district'] ? { district: String(address['district']) } : {}),
    };
    const waybillCode =
      sim.network?.register({ carrier, origin, destination, receiverPhone: mobile }).trackingNumber ??
      `${wpCode}${String(Date.now()).slice(-8)}${String(++seq).padStart(4, '0')}`;
    const templateUrl = String(dto['template_url'] ?? 'https://file-link.pinduoduo.com/yunda_std');
    const routingInfo = {
      origin: { code: origin.city.slice(0, 2) },
      consolidation: { code: `${province.slice(0, 2)}${city.slice(0, 2)}` },
      sortation: { name: `${province.slice(0, 2)}-${(waybillCode.length % 9) + 1}` },
    };
    // A ciphertext receiver is printed only by PDD's component: the print data is sealed for it.
    const printData = encrypted
      ? {
          encryptedData: randomBytes(96).toString('base64'),
          signature: randomBytes(24).toString('hex'),
          templateUrl,
          ver: '3',
        }
      : {
          data: {
            waybillCode,
            wpCode,
            routingInfo,
            recipient: { name, mobile, address: { ...address, detail } },
          },
          signature: randomBytes(24).toString('hex'),
          templateUrl,
        };
    const module = { object_id: objectId, waybill_code: waybillCode, print_data: JSON.stringify(printData) };
    const record = {
      mallId,
      wpCode,
      branchCode: drawn.branch?.code ?? null,
      waybillCode,
      module,
      cancelled: false,
    };
    issued.set(key, record);
    byCode.set(`${mallId}|${wpCode}|${waybillCode}`, record);
    return module;
  }

  function cancel(params: Record<string, string>, mallId: string) {
    const record = byCode.get(`${mallId}|${params['wp_code'] ?? ''}|${params['waybill_code'] ?? ''}`);
    if (!record) throw fault(30007, '面单不存在', 'isv.WAYBILL_NOT_EXIST', '面单号不存在');
    if (!record.cancelled) {
      if (sim.network?.cancel(record.waybillCode) === 'collected')
        throw fault(30008, '面单已揽收', 'isv.WAYBILL_CANNOT_CANCEL', '面单已揽收，不能取消');
      record.cancelled = true;
      if (record.branchCode) sim.branches.giveBack(mallId, record.wpCode, record.branchCode);
    }
    return { waybill_cancel_response: { cancel_result: true } };
  }

  function search(params: Record<string, string>, mallId: string) {
    return {
      waybill_search_response: {
        waybill_apply_subscription_cols: sim.branches
          .subscriptions(mallId, params['wp_code'] || undefined)
          .map((s) => ({
            wp_code: s.cpCode,
            wp_type: 2,
            branch_account_cols: s.branches.map((b) => ({
              branch_code: b.code,
              branch_name: b.name,
              quantity: b.quantity,
              allocated_quantity: b.allocated,
              cancel_quantity: b.cancelled,
            })),
          })),
      },
    };
  }

  return { get, cancel, search };
}
