import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The CJK font printed on labels: Noto Sans Hans (Simplified Chinese, OFL-1.1) as shipped by the
 * `@embedpdf/fonts-sc` npm package, so a fresh machine renders Chinese from `npm install` alone
 * with no system fonts. Chosen over Noto Sans SC builds that come as ~100 MB of TTF weights or
 * as hundreds of unicode-range WOFF2 slices: this one is five OTF weights (CFF), of which we
 * use Regular and Bold, and pdfkit embeds only the glyphs a label uses.
 */
export interface LabelFonts {
  regular: Buffer;
  bold: Buffer;
}

let cached: LabelFonts | undefined;

export function labelFonts(): LabelFonts {
  if (!cached) {
    const require = createRequire(import.meta.url);
    // The package exports only its metadata module (dist/); the OTF files sit beside it in fonts/.
    const dir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    cached = {
      regular: readFileSync(path.join(dir, 'NotoSansHans-Regular.otf')),
      bold: readFileSync(path.join(dir, 'NotoSansHans-Bold.otf')),
    };
  }
  return cached;
}
