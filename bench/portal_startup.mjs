// See bench/portal-startup. Reuses the browser tests' driver (playwright-core, Debian's
// Chromium, a throwaway cp_server).
import { withPortal } from '../tests/e2e/portal_driver.mjs';

const LINKS = [
  { name: 'local', conditions: null, target: 1000 },
  { name: '1.6 Mbit/s, 150 ms', conditions: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 }, target: 4000 },
];

async function measure(browser, base, link) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (link.conditions) await cdp.send('Network.emulateNetworkConditions', link.conditions);
  const requests = new Map();
  cdp.on('Network.responseReceived', (e) => {
    requests.set(e.requestId, { url: e.response.url, encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '-', bytes: 0 });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  await page.goto(base + '/');
  const deadline = Date.now() + 60000;
  let firstFrame = 0;
  while (!(firstFrame = await page.evaluate(() => window.cpFirstFrameAt || 0))) {
    if (Date.now() > deadline) throw new Error('no frame within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 300));  // late responses still count as transfer
  const files = [...requests.values()].filter((r) => !r.url.includes('/api/'));
  const total = files.reduce((sum, r) => sum + r.bytes, 0);
  await context.close();
  return { firstFrame, total, files };
}

await withPortal(async ({ browser, base }) => {
  let ok = true;
  for (const link of LINKS) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measure(browser, base, link));
    runs.sort((a, b) => a.firstFrame - b.firstFrame);
    const median = runs[1];
    console.log(`\n${link.name}: first usable frame ${Math.round(median.firstFrame)} ms (median of 3; ` +
      `runs ${runs.map((r) => Math.round(r.firstFrame)).join(', ')} ms), target <= ${link.target} ms`);
    console.log(`  transfer ${(median.total / 1024).toFixed(1)} KB in ${median.files.length} requests, target <= 600 KB`);
    for (const f of median.files.sort((a, b) => b.bytes - a.bytes)) {
      console.log(`    ${(f.bytes / 1024).toFixed(1).padStart(7)} KB  ${f.encoding.padEnd(5)} ${new URL(f.url).pathname}`);
    }
    if (median.firstFrame > link.target || median.total > 600 * 1024) ok = false;
  }
  console.log(ok ? '\nportal-startup: within targets' : '\nportal-startup: OVER a target');
});
