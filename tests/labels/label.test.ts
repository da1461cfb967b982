import { describe, expect, it } from 'vitest';
import { labelFromWaybill, type LabelData } from '../../integrations/carriers/labels/model.js';
import { checkLabel, renderLabel, renderLabels } from '../../integrations/carriers/labels/render.js';
import { maskAddressDetail, maskName, maskPhone } from '../../domain/carriers/masking.js';
import { readPdf } from './pdf.js';

const label: LabelData = {
  carrier: 'SF',
  trackingNumber: 'SF1234567890123',
  sortCode: '010WE-571A',
  originCode: '571',
  destinationCode: '010',
  qrCode: "MMM={'k1':'010WE','k2':'571W','k5':'SF1234567890123'}",
  sender: {
    name: '南京小店仓库',
    phone: '13900002222',
    address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文一西路998号' },
  },
  receiver: {
    name: '张三',
    phone: '13800001234',
    address: { province: '北京市', city: '北京市', district: '朝阳区', detail: '建国路88号5号楼1201' },
  },
  lines: [
    { skuCode: 'SKU-001-RED-M', title: '纯棉T恤 红色 M', quantity: 2 },
    { skuCode: 'SKU-002', title: '帆布袋', quantity: 1 },
    { skuCode: 'SKU-003', quantity: 1 },
    { skuCode: 'SKU-004', quantity: 1 },
    { skuCode: 'SKU-005', quantity: 3 },
  ],
  orderRefs: ['4012345678901234567'],
  weightG: 1200,
  printedAt: new Date('2026-03-01T02:15:00Z'),
};

describe('receiver masking', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['张*', '张*'],
  ])('name %s → %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it.each([
    ['13800001234', '138****1234'],
    ['18877771111-123', '188****1111-123'],
    ['138****1234', '138****1234'],
    ['0571-8888', '05****888'],
  ])('phone %s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it('hides house and room numbers in the detail', () => {
    expect(maskAddressDetail('文三路100号3幢201室')).toBe('文三路***号*幢***室');
    expect(maskAddressDetail('西湖边的小屋')).toBe('西湖边***');
  });
});

describe('thermal waybill label', () => {
  it('is one 100 × 150 mm page with the tracking number, the name and phone masked and the full address', async () => {
    const { texts, pages } = await readPdf(await renderLabel(label));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.widthMm).toBeCloseTo(100, 1);
    expect(pages[0]!.heightMm).toBeCloseTo(150, 1);
    const text = texts[0]!;
    expect(text).toContain('SF1234567890123');
    expect(text).toContain('顺丰速运');
    expect(text).toContain('010WE-571A');
    expect(text).toContain('张*');
    expect(text).toContain('138****1234');
    // A privacy waybill hides who, not where: the courier needs the house and room number.
    expect(text).toContain('北京市 朝阳区 建国路88号5号楼1201');
    expect(text).not.toContain('张三');
    expect(text).not.toContain('13800001234');
    expect(text).toContain('隐私面单');
    // The sender, the contents (truncated after four lines), weight and order refs.
    expect(text).toContain('南京小店仓库');
    expect(text).toContain('SKU-001-RED-M 纯棉T恤 红色 M × 2');
    expect(text).toContain('…另 1 种 3 件');
    expect(text).toContain('共 8 件');
    expect(text).toContain('1.20 kg');
    expect(text).toContain('4012345678901234567');
  });

  it('prints the plaintext receiver only when the caller allows it', async () => {
    const { texts } = await readPdf(await renderLabel({ ...label, receiverPrivacy: 'plaintext' }));
    expect(texts[0]).toContain('张三');
    expect(texts[0]).toContain('13800001234');
    expect(texts[0]).not.toContain('隐私面单');
  });

  it('is checked without being written out: drawn where it renders, refused where rendering fails', async () => {
    // What the label activity runs for every parcel: the same drawing, no PDF written out.
    await expect(checkLabel(label)).resolves.toBeUndefined();
    await expect(checkLabel({ ...label, trackingNumber: '顺丰单号' })).resolves.toBeUndefined();
    const refusal = await renderLabel({ ...label, trackingNumber: '' }).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(refusal).toMatch(/bar code text not specified/);
    await expect(checkLabel({ ...label, trackingNumber: '' })).rejects.toThrow(refusal!);
  });

  it('renders a wave as one PDF with a page per label', async () => {
    const wave = ['780001234567', '780001234568', '780001234569'].map((trackingNumber, i) =>
      labelFromWaybill(
        {
          carrier: 'ZTO',
          trackingNumber,
          requestId: `shipment-${i}`,
          provider: 'cainiao',
          sortCode: `010-0${i + 1} A1`,
          destinationCode: '010',
        },
        {
          sender: label.sender,
          receiver: label.receiver,
          lines: label.lines.slice(0, 1),
          orderRefs: [`T${i}`],
        },
      ),
    );
    const { texts, pages } = await readPdf(await renderLabels(wave));
    expect(pages).toHaveLength(3);
    wave.forEach((w, i) => {
      expect(texts[i]).toContain(w.trackingNumber);
      expect(texts[i]).toContain('中通快递');
      expect(texts[i]).toContain(`010-0${i + 1} A1`);
    });
  });
});
