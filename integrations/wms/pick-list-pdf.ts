import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { PickLine } from '../../domain/wms/pick-list.js';

export interface PickListDocument {
  waveId: string;
  warehouse: string;
  warehouseName?: string;
  createdAt: Date;
  parcelCount: number;
  lines: readonly (PickLine & { picked?: number; short?: number; damaged?: number })[];
  /** Product names by SKU code, printed next to the code. */
  skuNames?: ReadonlyMap<string, string>;
}

let cjkFont: Buffer | undefined;

/** Noto Sans SC from the `@embedpdf/fonts-sc` package (shared with shipping labels). */
function font(): Buffer {
  if (!cjkFont) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@embedpdf/fonts-sc'));
    cjkFont = readFileSync(path.join(dir, '..', 'fonts', 'NotoSansHans-Regular.otf'));
  }
  return cjkFont;
}

const COLUMNS = [
  { title: '#', width: 28 },
  { title: '库位 Bin', width: 78 },
  { title: 'SKU', width: 120 },
  { title: '品名 Name', width: 150 },
  { title: '数量 Qty', width: 48 },
  { title: '包裹 Parcels', width: 76 },
  { title: '完成', width: 23 },
] as const;

/**
 * A printable A4 pick list in walking order: one row per bin stop with the SKU, its name, the units
 * to take and which parcels they are for, with a box to tick. Header rows repeat on every page.
 */
export async function renderPickListPdf(input: PickListDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 36,
    bufferPages: true,
    info: { Title: `Pick list ${input.waveId}`, Subject: `Wave ${input.waveId} at ${input.warehouse}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font());
  doc.font('cjk');

  const units = input.lines.reduce((s, l) => s + l.qty, 0);
  doc.fontSize(16).text(`拣货单 Pick list — ${input.waveId}`);
  doc
    .fontSize(9)
    .fillColor('#444')
    .text(
      `仓库 Warehouse: ${input.warehouse}${input.warehouseName ? ` ${input.warehouseName}` : ''}    ` +
        `创建 Created: ${formatTime(input.createdAt)}    ` +
        `包裹 Parcels: ${input.parcelCount}    库位 Stops: ${input.lines.length}    件数 Units: ${units}`,
    )
    .fillColor('black');
  doc.moveDown(0.6);

  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom - 14;
  const header = () => {
    let x = left;
    const y = doc.y;
    doc.fontSize(9).fillColor('#222');
    for (const col of COLUMNS) {
      doc.text(col.title, x + 2, y, { width: col.width - 4 });
      x += col.width;
    }
    doc.fillColor('black');
    const lineY = y + 14;
    doc.moveTo(left, lineY).lineTo(x, lineY).stroke();
    doc.y = lineY + 4;
  };
  header();

  for (const line of input.lines) {
    const parcels = line.demands.map((d) => `${shortParcel(d.parcelId)}×${d.qty}`).join(' ');
    const cells = [
      String(line.seq),
      line.bin ?? '(无库位)',
      line.sku,
      input.skuNames?.get(line.sku) ?? '',
      String(line.qty),
      parcels,
      '',
    ];
    doc.fontSize(9);
    const height = Math.max(
      14,
      ...cells.map((text, i) => doc.heightOfString(text, { width: COLUMNS[i]!.width - 4 })),
    );
    if (doc.y + height > bottom()) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      const width = COLUMNS[i]!.width;
      if (i === COLUMNS.length - 1) doc.rect(x + 5, y + 1, 10, 10).stroke();
      else doc.text(text, x + 2, y, { width: width - 4 });
      x += width;
    });
    doc.y = y + height + 3;
    doc
      .strokeColor('#ddd')
      .moveTo(left, doc.y - 1.5)
      .lineTo(x, doc.y - 1.5)
      .stroke()
      .strokeColor('black');
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing inside the bottom margin would start a new page; lift it for the footer.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fontSize(8)
      .fillColor('#666')
      .text(`${input.waveId} · 第 ${i + 1} / ${range.count} 页`, left, doc.page.height - 28, {
        width: doc.page.width - left * 2,
        align: 'right',
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

/** `WAVE-123-P-17` → `P-17`: the picker only needs the parcel's number within the wave. */
function shortParcel(id: string): string {
  const match = /([A-Za-z]+-\d+)$/.exec(id);
  return match ? match[1]! : id;
}

function formatTime(at: Date): string {
  // Warehouses read China time.
  const local = new Date(at.getTime() + 8 * 3600_000);
  return `${local.toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}
