import { launchChromium } from '../test/browser/chromium';
const [url, out, waitSel] = process.argv.slice(2) as [string, string, string | undefined];
const b = await launchChromium();
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('console', (m) => console.log('console:', m.type(), m.text()));
p.on('pageerror', (e) => console.log('pageerror:', e.message));
const t0 = Date.now();
await p.goto(url);
if (waitSel) { try { await p.waitForSelector(waitSel, { timeout: 30000 }); } catch (e) { console.log('wait failed', String(e)); } }
else await p.waitForTimeout(4000);
console.log('waited', Date.now() - t0, 'ms');
await p.screenshot({ path: out });
await b.close();
