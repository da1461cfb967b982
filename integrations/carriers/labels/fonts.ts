import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * The CJK font printed on labels: Noto Sans Hans (Simplified Chinese, OFL-1.1) as shipped by the
 * `@embedpdf/fonts-sc` npm package, so a fresh machine renders Chinese from `npm install` alone
 * with no system fonts. Chosen over Noto Sans SC builds that come as ~100 MB of TTF weights or
 * as hundreds of unicode-range WOFF2 slices: this one is five OTF weights (CFF, ~8 MB each), of
 * which we use Regular and Bold, and pdfkit embeds only the glyphs a label uses.
 *
 * Parsing an 8 MB CJK font takes about a second, so each weight is parsed once per process and
 * the parsed font is handed to every document (pdfkit accepts a fontkit font as a source).
 */
export interface LabelFonts {
  regular: Font;
  bold: Font;
}

let cached: LabelFonts | undefined;

export function labelFonts(): LabelFonts {
  if (!cached) {
    const require = createRequire(import.meta.url);
    // The package exports only its metadata module (dist/); the OTF files sit beside it in fonts/.
    const dir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    const load = (file: string) => create(readFileSync(path.join(dir, file))) as Font;
    cached = { regular: load('NotoSansHans-Regular.otf'), bold: load('NotoSansHans-Bold.otf') };
  }
  return cached;
}
