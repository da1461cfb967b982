import { randomBytes } from 'node:crypto';
import { CainiaoBranches } from '../../carriers/cainiao-branches.js';
import { carrierForCode } from '../../carriers/codes.js';
import type { CarrierNetwork } from '../../carriers/network.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { DouyinSimCipher } from './cipher.js';

/**
 * Douyin 电子面单 on the simulated Douyin Shop API: `logistics.listShopNetsite` (the shop's
 * branches per company code and their balances), `logistics.newCreateOrder` (one number per order
 * and pack, drawn from a branch; the same order and pack answer the same number),
 * `logistics.waybillApply` (encrypted print data for Douyin's print component) and
 * `logistics.cancelOrder` (the number goes back to its branch; a collected parcel cannot be
 * cancelled). A receiver may come as the ciphertext of the shop's own order: it must open with this
 * platform's key and belong to the order named in `order_id` — another order's receiver, or
 * garbage, is refused. Per-order refusals come back in `err_infos` (余额不足, 未开通, 超区); their
 * codes are the simulator's own (❓: Douyin's waybill error table is not in our sources).
 */
export interface DouyinWaybillSim {
  /** Branches and balances per Douyin shop id, by company code (unmetered for a shop with none). */
  branches: CainiaoBranches;
  /** Destinations no branch delivers to: `省` or `省/市`. */
  unreachable: Set<string>;
  /** Where issued parcels go, so the carriers' tracking simulators can follow them. */
  network?: CarrierNetwork;
}

export function createDouyinWaybillSim(network?: CarrierNetwork): DouyinWaybillSim {
  return { branches: new CainiaoBranches(), unreachable: new Set(), ...(network ? { network } : {}) };
}

type Fault = (code: number, msg: string, subCode: string, subMsg: string) => Error;

interface Issued {
  shopKey: string;
  company: string;
  branchCode: string | null;
  trackNo: string;
  orderId: string;
  bill: Record<string, unknown>;
  cancelled: boolean;
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function douyinWaybillApis(
  sim: DouyinWaybillSim,
  cipher: DouyinSimCipher,
  store: SimOrderStore,
  fault: Fault,
) {
  const byPack = new Map<string, Issued>();
  const byNumber = new Map<string, Issued>();
  const invalid = (what: string) => fault(40004, '非法的参数', `isv.parameter-invalid:${what}`, what);
  const companyOf = (value: unknown) => {
    const company = String(value ?? '');
    const carrier = carrierForCode('kuaidi100', company);
    if (!carrier)
      throw fault(50002, '业务处理失败', 'isv.business-failed:100001', `不支持的物流商 ${company}`);
    return { company, carrier };
  };

  /** Opens a receiver field: plaintext as it is, ciphertext only with this platform's key. */
  const open = (value: unknown): { text: string; sealed: boolean } | undefined => {
    const text = String(value ?? '');
    if (!/^(##|\$\$)/.test(text)) return { text, sealed: false };
    const plain = cipher.decrypt(text);
    return plain === undefined ? undefined : { text: plain, sealed: true };
  };

  function issue(
    shopKey: string,
    company: string,
    carrier: string,
    sender: Record<string, unknown>,
    info: Record<string, unknown>,
    foreign: boolean,
  ) {
    const orderId = String(info['order_id'] ?? '');
    const packId = String(info['pack_id'] ?? '');
    const err = (code: number, msg: string) => ({
      order_id: orderId,
      pack_id: packId,
      err_code: code,
      err_msg: msg,
    });
    if (!orderId) throw invalid('order_id 必填');
    const again = byPack.get(`${shopKey}|${company}|${orderId}|${packId}`);
    if (again && !again.cancelled) return { bill: again.bill };

    const receiver = record(info['receiver_info']);
    const address = record(receiver['address']);
    const contact = record(receiver['contact']);
    const name = open(contact['name']);
    const mobile = open(contact['mobile'] ?? contact['phone']);
    const detail = open(address['detail_address']);
    if (!name || !mobile || !detail) return { error: err(100107, '收件人密文解密失败') };
    if (name.sealed || mobile.sealed || detail.sealed) {
      // Douyin opens a ciphertext only for the shop's own order it belongs to.
      const order = foreign ? undefined : store.get(shopKey, orderId);
      const owner = order?.receiver;
      if (!owner || owner.name !== name.text || owner.phone !== mobile.text || owner.detail !== detail.text)
        return { error: err(100108, '收件人密文与订单不匹配') };
    }
    const province = String(address['province_name'] ?? '');
    const city = String(address['city_name'] ?? '');
    if (!name.text || !mobile.text || !detail.text || !province)
      return { error: err(100103, '收件人信息不完整') };
    if (sim.unreachable.has(province) || sim.unreachable.has(`${province}/${city}`))
      return { error: err(100104, `${province}${city} 超区，不在该快递公司服务范围内`) };
    const drawn = sim.branches.draw(
      shopKey,
      company,
      info['net_info'] ? String(record(info['net_info'])['net_code'] ?? '') || undefined : undefined,
    );
    if (!drawn.ok)
      return {
        error:
          drawn.kind === 'no_balance'
            ? err(100105, '电子面单余额不足，请联系网点充值')
            : err(100106, '未开通该物流商的电子面单服务（未订购）'),
      };
    const senderAddress = record(sender['address']);
    const origin = {
      province: String(senderAddress['province_name'] ?? ''),
      city: String(senderAddress['city_name'] ?? ''),
    };
    const destination = {
      province,
      city,
      ...(address['district_name'] ? { district: String(address['district_name']) } : {}),
    };
    const trackNo =
      sim.network?.register({ carrier, origin, destination, receiverPhone: mobile.text }).trackingNumber ??
      `DY${Date.now().toString().slice(-9)}${randomBytes(2).readUInt16BE(0)}`;
    const bill = {
      order_id: orderId,
      pack_id: packId,
      track_no: trackNo,
      company,
      sort_code: `${province.slice(0, 2)}-${(trackNo.length % 9) + 1}`,
      package_center_code: origin.city.slice(0, 2) || 'HZ',
      package_center_name: `${origin.city || origin.province}集包中心`,
      short_address_code: `${province.slice(0, 2)}${city.slice(0, 2)}`,
      short_address_name: `${province}${city}`,
    };
    const issued: Issued = {
      shopKey,
      company,
      branchCode: drawn.branch?.code ?? null,
      trackNo,
      orderId,
      bill,
      cancelled: false,
    };
    byPack.set(`${shopKey}|${company}|${orderId}|${packId}`, issued);
    byNumber.set(`${shopKey}|${company}|${trackNo}`, issued);
    return { bill };
  }

  return {
    newCreateOrder(params: Record<string, unknown>, shopKey: string) {
      const { company, carrier } = companyOf(params['logistics_code']);
      const sender = record(params['sender_info']);
      const senderAddress = record(sender['address']);
      if (!senderAddress['province_name'] || !senderAddress['detail_address'])
        throw invalid('sender_info.address 不完整');
      const infos = Array.isArray(params['order_infos']) ? params['order_infos'].map(record) : [];
      if (infos.length === 0 || infos.length > 50) throw invalid('order_infos 数量应为1-50');
      const foreign = params['order_channel'] !== undefined && params['order_channel'] !== '';
      const results = infos.map((info) => issue(shopKey, company, carrier, sender, info, foreign));
      return {
        ebill_infos: results.flatMap((r) => ('bill' in r ? [r.bill] : [])),
        err_infos: results.flatMap((r) => ('error' in r ? [r.error] : [])),
      };
    },

    waybillApply(params: Record<string, unknown>, shopKey: string) {
      const applies = Array.isArray(params['waybill_applies']) ? params['waybill_applies'].map(record) : [];
      if (applies.length === 0)
        throw fault(40002, '缺少必选参数', 'isv.missing-parameter:1001', 'waybill_applies 必填');
      const infos: unknown[] = [];
      const errors: unknown[] = [];
      for (const apply of applies) {
        const trackNo = String(apply['track_no'] ?? '');
        const found = byNumber.get(`${shopKey}|${String(apply['logistics_code'] ?? '')}|${trackNo}`);
        if (!found || found.cancelled) {
          errors.push({
            track_no: trackNo,
            order_id: '',
            err_code: 1003,
            err_msg: '运单号有误，请检查运单号',
          });
          continue;
        }
        infos.push({
          order_id: found.orderId,
          track_no: trackNo,
          print_data: randomBytes(96).toString('base64'),
          sign: randomBytes(16).toString('hex'),
        });
      }
      return { waybill_infos: infos, err_infos: errors };
    },

    cancelOrder(params: Record<string, unknown>, shopKey: string) {
      const found = byNumber.get(
        `${shopKey}|${String(params['logistics_code'] ?? '')}|${String(params['track_no'] ?? '')}`,
      );
      if (!found) throw fault(50002, '业务处理失败', 'isv.business-failed:1003', '运单号不存在');
      if (!found.cancelled) {
        if (sim.network?.cancel(found.trackNo) === 'collected')
          throw fault(50002, '业务处理失败', 'isv.business-failed:100110', '已揽收的运单不能取消');
        found.cancelled = true;
        if (found.branchCode) sim.branches.giveBack(shopKey, found.company, found.branchCode);
      }
      return { cancel_result: true };
    },

    listShopNetsite(params: Record<string, unknown>, shopKey: string) {
      const company = params['logistics_code'] ? String(params['logistics_code']) : '';
      if (company) companyOf(company);
      const all = sim.branches.subscriptions(shopKey);
      // A shop nobody set branches up for is unmetered (the demo): one sandbox branch per company.
      const unmetered = all.some((s) => s.branches.some((b) => b.code === 'SANDBOX'));
      const subscribed = unmetered
        ? [{ cpCode: company, branches: all[0]?.branches ?? [] }]
        : sim.branches.subscriptions(shopKey, company || undefined);
      return {
        logistics_code: company,
        company_type: 2,
        netsites: subscribed.flatMap((s) =>
          s.branches.map((b) => ({
            netsite_code: b.code,
            netsite_name: b.name,
            company: s.cpCode,
            company_type: 2,
            amount: b.quantity,
            allocated_quantity: b.allocated,
            cancelled_quantity: b.cancelled,
            recycled_quantity: 0,
          })),
        ),
      };
    },

    /**
     * 超区校验: whether the company delivers to the receiver's region, by the simulator's own
     * unreachable areas (the same that refuse a waybill there). The region is required.
     */
    getOutRange(params: Record<string, unknown>) {
      companyOf(params['logistics_code']);
      const receiver = record(params['receiver_address']);
      const province = String(receiver['province_name'] ?? '');
      const city = String(receiver['city_name'] ?? '');
      if (!province) throw invalid('receiver_address.province_name 必填');
      const out = sim.unreachable.has(province) || sim.unreachable.has(`${province}/${city}`);
      return out
        ? { is_out_range: true, out_range_reason: `${province}${city} 超区，不在该快递公司服务范围内` }
        : { is_out_range: false, out_range_reason: '' };
    },
  };
}
