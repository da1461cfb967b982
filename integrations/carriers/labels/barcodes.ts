import { toBuffer } from 'bwip-js';

/** Code 128 of the tracking number as a PNG, drawn at print resolution (no human-readable text: the label prints that in its own font). */
export function code128Png(text: string, heightMm: number): Promise<Buffer> {
  return toBuffer({ bcid: 'code128', text, scale: 4, height: heightMm, includetext: false, paddingwidth: 0 });
}

/** A QR code (the carrier's routing data, e.g. SF's twoDimensionCode) as a PNG. */
export function qrPng(text: string): Promise<Buffer> {
  return toBuffer({ bcid: 'qrcode', text, scale: 4 });
}
