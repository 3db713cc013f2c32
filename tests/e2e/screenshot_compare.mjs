// Compares a screenshot with a checked-in reference image inside a blank browser page (PNG
// decoding without extra npm packages): the share of pixels whose colour moved by more than
// a small amount must stay under a tolerance (0.3 %), so layout changes fail and a caret
// blink or the seeded demo's dates moving by a day do not. CP_E2E_UPDATE_REFERENCES=1 writes the references instead.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const referenceDir = new URL('./reference/', import.meta.url).pathname;

export async function compareWithReference(browser, png, name, tolerance = 0.003) {
  const ref = join(referenceDir, name);
  if (process.env.CP_E2E_UPDATE_REFERENCES === '1' || !existsSync(ref)) {
    if (process.env.CP_E2E_UPDATE_REFERENCES !== '1') throw new Error(`no reference image ${ref}`);
    writeFileSync(ref, png);
    return { share: 0, updated: true };
  }
  const page = await browser.newPage();
  try {
    const result = await page.evaluate(async ([a, b]) => {
      async function pixels(b64) {
        const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
        const bitmap = await createImageBitmap(blob);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(bitmap, 0, 0);
        return { w: bitmap.width, h: bitmap.height, data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data };
      }
      const x = await pixels(a);
      const y = await pixels(b);
      if (x.w !== y.w || x.h !== y.h) return { sizeMismatch: [x.w, x.h, y.w, y.h] };
      let differing = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        const d = Math.max(Math.abs(x.data[i] - y.data[i]), Math.abs(x.data[i + 1] - y.data[i + 1]),
          Math.abs(x.data[i + 2] - y.data[i + 2]));
        if (d > 48) differing++;
      }
      return { share: differing / (x.w * x.h) };
    }, [png.toString('base64'), readFileSync(ref).toString('base64')]);
    if (result.sizeMismatch) throw new Error(`${name}: size differs from the reference ${result.sizeMismatch}`);
    if (result.share > tolerance) {
      throw new Error(`${name}: ${(result.share * 100).toFixed(2)} % of pixels differ from the reference (tolerance ${tolerance * 100} %)`);
    }
    return result;
  } finally {
    await page.close();
  }
}
