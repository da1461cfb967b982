import PDFDocument from 'pdfkit';
import type { LabelSize } from '../../../domain/carriers/label-size.js';
import { formatMinor } from '../../../domain/money.js';
import type { PostalAddress } from '../types.js';
import { code128Png, qrPng } from './barcodes.js';
import { labelFonts } from './fonts.js';
import { carrierTitle, printedReceiver, type LabelData, type LabelParty } from './model.js';

/** PDF points per millimetre. */
const MM = 72 / 25.4;
export const LABEL_WIDTH_MM = 100;
export const LABEL_HEIGHT_MM = 150;
/**
 * The label stocks: 100 × 150 mm (the standard e-waybill) and 76 × 130 mm (the small one-part
 * waybill the e-waybill services also offer templates for). The small one is the standard layout
 * drawn to its page (narrowed by 0.76, shortened by 0.87): the same fields in the same places.
 */
export { LABEL_SIZES, type LabelSize } from '../../../domain/carriers/label-size.js';
const PAGE: Record<LabelSize, { widthMm: number; heightMm: number }> = {
  '100x150': { widthMm: LABEL_WIDTH_MM, heightMm: LABEL_HEIGHT_MM },
  '76x130': { widthMm: 76, heightMm: 130 },
};
/** Whose print component opens sealed print data. */
const SEALED_BY: Record<string, string> = { pdd: '拼多多', jd: '京东', douyin: '抖音' };
/** Contents lines that fit before the rest is summarised. */
const MAX_CONTENT_LINES = 4;

type Doc = PDFKit.PDFDocument;

/** One label as a one-page PDF, 100 × 150 mm unless another stock is asked for. */
export function renderLabel(label: LabelData, size: LabelSize = '100x150'): Promise<Buffer> {
  return renderLabels([label], size);
}

/**
 * A wave's labels as one PDF, a page each, in the given order: all on one stock, or each on its own
 * (`sizes[i]` for label i: the stock of the account that issued it).
 */
export async function renderLabels(
  labels: readonly LabelData[],
  sizes: LabelSize | readonly LabelSize[] = '100x150',
): Promise<Buffer> {
  const doc = await drawLabels(labels, sizes);
  const done = collect(doc);
  doc.end();
  return done;
}

/**
 * Draws the label as `renderLabel` does — its barcodes and QR code made, every text laid out in
 * the label's fonts on its stock — without writing the PDF out: throws where rendering would.
 * Writing out (subsetting the CJK fonts, compressing) is most of a label's cost (about 100 of
 * 130 ms of CPU) and is left to the print, which renders the label in full.
 */
export async function checkLabel(label: LabelData, size: LabelSize = '100x150'): Promise<void> {
  await drawLabels([label], size);
}

async function drawLabels(
  labels: readonly LabelData[],
  sizes: LabelSize | readonly LabelSize[],
): Promise<Doc> {
  const sizeOf = (i: number): LabelSize => (typeof sizes === 'string' ? sizes : (sizes[i] ?? '100x150'));
  const first = PAGE[sizeOf(0)];
  const SIZE: [number, number] = [first.widthMm * MM, first.heightMm * MM];
  if (labels.length === 0) throw new RangeError('no labels to render');
  const images = await Promise.all(
    labels.map(async (label) => ({
      barcode: await code128Png(label.trackingNumber, 14),
      stub: await code128Png(label.trackingNumber, 8),
      qr: label.qrCode ? await qrPng(label.qrCode) : undefined,
    })),
  );
  const fonts = labelFonts();
  const doc = new PDFDocument({
    size: SIZE,
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: labels.length === 1 ? `Waybill ${labels[0]!.trackingNumber}` : `Waybills (${labels.length})`,
    },
  });
  // pdfkit takes a parsed fontkit font as a source at run time; its typings only list bytes.
  doc.registerFont('cjk', fonts.regular as unknown as Buffer);
  doc.registerFont('cjk-bold', fonts.bold as unknown as Buffer);
  labels.forEach((label, i) => {
    const page = PAGE[sizeOf(i)];
    doc.addPage({ size: [page.widthMm * MM, page.heightMm * MM], margin: 0 });
    doc.save();
    doc.scale(page.widthMm / LABEL_WIDTH_MM, page.heightMm / LABEL_HEIGHT_MM);
    drawLabel(doc, label, images[i]!);
    doc.restore();
  });
  return doc;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function drawLabel(
  doc: Doc,
  label: LabelData,
  images: { barcode: Buffer; stub: Buffer; qr: Buffer | undefined },
) {
  const W = LABEL_WIDTH_MM;
  const pad = 3;
  const inner = W - 2 * pad;
  const text = (
    value: string,
    xMm: number,
    yMm: number,
    size: number,
    options: PDFKit.Mixins.TextOptions & { bold?: boolean } = {},
  ) => {
    const { bold, ...rest } = options;
    doc
      .font(bold ? 'cjk-bold' : 'cjk')
      .fontSize(size)
      .text(value, xMm * MM, yMm * MM, { lineBreak: false, ...rest });
  };
  const rule = (yMm: number) => {
    doc
      .moveTo(pad * MM, yMm * MM)
      .lineTo((W - pad) * MM, yMm * MM)
      .lineWidth(0.8)
      .stroke();
  };

  // Header: carrier and print time.
  const title = label.carrier
    ? carrierTitle(label.carrier)
    : { zh: label.carrierName ?? '', en: label.carrierName ?? '' };
  text(title.zh, pad, 2.5, 16, { bold: true });
  const titleWidthMm = doc.font('cjk-bold').fontSize(16).widthOfString(title.zh) / MM;
  text(title.en, pad + titleWidthMm + 3, 5, 8);
  const privacy = label.receiverPrivacy === 'plaintext' ? '' : '隐私面单 ';
  text(`${privacy}${printTime(label.printedAt ?? new Date())}`, pad, 3.5, 7, {
    width: inner * MM,
    align: 'right',
  });
  rule(11);

  // Sort code, large, for the sorting line.
  const sort = label.sortCode ?? label.destinationCode ?? '';
  if (sort) text(sort, pad, 12.5, 24, { bold: true, width: inner * MM, align: 'center' });
  const codes = [
    label.originCode ? `始发 ${label.originCode}` : '',
    label.destinationCode ? `目的 ${label.destinationCode}` : '',
  ]
    .filter(Boolean)
    .join('   ');
  if (codes) text(codes, pad, 22, 8, { width: inner * MM, align: 'center' });
  rule(26);

  // Tracking barcode and number.
  doc.image(images.barcode, (pad + 4) * MM, 28 * MM, { width: (inner - 8) * MM, height: 14 * MM });
  text(spaced(label.trackingNumber), pad, 43, 13, { bold: true, width: inner * MM, align: 'center' });
  rule(49);

  // Receiver, then sender.
  const qrSize = images.qr ? 24 : 0;
  const textWidth = inner - (qrSize ? qrSize + 2 : 0);
  party(doc, '收', printedReceiver(label), 50.5, textWidth, 11, pad);
  if (label.sealedPrint)
    text(
      `收件信息已加密：请用${SEALED_BY[label.sealedPrint.service] ?? label.sealedPrint.service}打印组件打印`,
      pad + 8,
      70.5,
      7,
      {
        bold: true,
        width: (textWidth - 8) * MM,
      },
    );
  if (images.qr)
    doc.image(images.qr, (W - pad - qrSize) * MM, 51 * MM, { width: qrSize * MM, height: qrSize * MM });
  rule(76);
  party(doc, '寄', label.sender, 77.5, inner, 8, pad);
  rule(94);

  // Contents, order refs, weight, collect-on-delivery.
  text('内容品名', pad, 95.5, 7, { bold: true });
  const lines = label.lines
    .slice(0, MAX_CONTENT_LINES)
    .map((l) => `${l.skuCode}${l.title ? ` ${l.title}` : ''} × ${l.quantity}`);
  const more = label.lines.length - MAX_CONTENT_LINES;
  if (more > 0) {
    const qty = label.lines.slice(MAX_CONTENT_LINES).reduce((n, l) => n + l.quantity, 0);
    lines.push(`…另 ${more} 种 ${qty} 件`);
  }
  lines.forEach((line, i) =>
    text(line, pad, 99 + i * 3.6, 7.5, { width: inner * MM, ellipsis: true, height: 3.6 * MM }),
  );
  const totalQty = label.lines.reduce((n, l) => n + l.quantity, 0);
  const facts = [
    `共 ${totalQty} 件`,
    label.weightG !== undefined ? `重量 ${(label.weightG / 1000).toFixed(2)} kg` : '',
    label.codFen ? `代收货款 ¥${formatMinor(label.codFen)}` : '',
  ]
    .filter(Boolean)
    .join('   ');
  text(facts, pad, 117.5, 7.5, { bold: true });
  text(`订单 ${label.orderRefs.join(', ')}`, pad, 121.5, 7, {
    width: inner * MM,
    ellipsis: true,
    height: 3.5 * MM,
  });
  if (label.remark)
    text(`备注 ${label.remark}`, pad, 125, 7, { width: inner * MM, ellipsis: true, height: 3.5 * MM });
  rule(129);

  // Stub for the receiver to keep: small barcode and signature line.
  doc.image(images.stub, pad * MM, 131 * MM, { width: 55 * MM, height: 8 * MM });
  text(label.trackingNumber, pad, 140, 8);
  text('签收人：', pad + 60, 132, 8);
  text('时间：', pad + 60, 139, 8);
}

function party(
  doc: Doc,
  marker: string,
  p: LabelParty,
  yMm: number,
  widthMm: number,
  size: number,
  pad: number,
) {
  const x = pad;
  doc
    .lineWidth(0.8)
    .circle((x + 3) * MM, (yMm + 3) * MM, 3 * MM)
    .stroke();
  doc
    .font('cjk-bold')
    .fontSize(size - 2)
    .text(marker, (x + 0.9) * MM, (yMm + 0.6) * MM, { lineBreak: false, width: 4.2 * MM, align: 'center' });
  const left = x + 8;
  const width = (widthMm - 8) * MM;
  doc
    .font('cjk-bold')
    .fontSize(size)
    .text(`${p.name}  ${p.phone}`, left * MM, yMm * MM, { width, lineBreak: false, ellipsis: true });
  doc
    .font('cjk')
    .fontSize(size - 1.5)
    .text(addressLine(p.address), left * MM, (yMm + size * 0.5) * MM, {
      width,
      height: size * 1.1 * MM,
      ellipsis: true,
    });
}

function addressLine(a: PostalAddress): string {
  // 直辖市 repeat the province as the city (北京市 北京市): print it once.
  const city = a.city && a.city !== a.province ? a.city : '';
  return [a.province, city, a.district, a.town ?? '', a.detail].filter(Boolean).join(' ');
}

/** Groups a tracking number in fours for reading aloud (SF 1234 5678 9012 3). */
function spaced(trackingNumber: string): string {
  return trackingNumber.replace(/(.{4})(?=.)/g, '$1 ');
}

function printTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
