import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeDziPyramid } from '../fixtures/dzi';
import { baseUrl, newPage, openBrowser, pixelStats, viewerPixels, waitReady } from './harness';
import type { ViewState } from '../../src/model/route';
import { parseRoute } from '../../src/model/route';

/**
 * Links are data from anywhere: a malformed one says why and offers the way back, a view out
 * of range is clamped, a dead image says what failed, and an image on another site is only
 * fetched once the user says so.
 */
let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lamina-links-'));
  writeDziPyramid(dir, 'pattern', 1600, 1200);
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Serves the fixture pyramid at every URL matching `pattern` (CORS-enabled, as an image server must be); returns the URLs asked for. */
async function servePyramid(page: Page, pattern: string): Promise<string[]> {
  const asked: string[] = [];
  await page.route(pattern, (route) => {
    const url = new URL(route.request().url());
    asked.push(url.href);
    const file = join(dir, decodeURIComponent(url.pathname.split('/').slice(2).join('/')));
    if (!existsSync(file)) return route.fulfill({ status: 404, body: 'missing' });
    return route.fulfill({
      status: 200,
      body: readFileSync(file),
      contentType: file.endsWith('.dzi') ? 'application/xml' : 'image/png',
      headers: { 'access-control-allow-origin': '*' },
    });
  });
  return asked;
}

async function currentView(page: Page): Promise<ViewState> {
  return page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { currentView(): ViewState }).currentView());
}

async function hashView(page: Page): Promise<ViewState | undefined> {
  const r = parseRoute(await page.evaluate(() => location.hash));
  return 'view' in r ? r.view : undefined;
}

const readout = (page: Page) => page.locator('[data-testid=magnification]').innerText();

describe('bad links', () => {
  it('each malformed address says why, as text, with a way back to the case', async () => {
    const { page, errors } = await newPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const cases: Array<[string, RegExp]> = [
      ['#/figure/abc', /“abc” is not a figure number/],
      ['#/compare/', /names no slides to compare/],
      ['#/image?dzi=javascript:alert(1)', /only from http\(s\) addresses or paths on this site, not “javascript:alert\(1\)”/],
      ['#/nowhere', /no page called “nowhere”/],
      ['#/slide/<img src=x onerror=alert(2)>', /“<img src=x onerror=alert\(2\)>” is not a slide name/],
      ['#/figure/99', /There is no figure 99 in this case/],
      ['#/compare/he,nosuch', /There is no slide "nosuch" in this case/],
      ['#/slide/he?x=NaN&y=1&z=2', /x must be a number, not “NaN”/],
    ];
    for (const [hash, why] of cases) {
      await page.goto(`${baseUrl()}${hash}`);
      const alert = page.locator('lamina-app [role=alert]');
      await expect.poll(() => alert.count(), { timeout: 20_000 }).toBe(1);
      expect(await alert.innerText(), hash).toMatch(why);
      expect(await page.locator('lamina-app [role=alert] img').count(), hash).toBe(0);
      expect(await page.locator('lamina-slide-view').count(), hash).toBe(0);
      const back = alert.getByRole('link', { name: 'Back to the case' });
      expect(await back.getAttribute('href')).toBe('#/');
    }
    // A malformed view offers the same screen without it.
    await page.locator('lamina-app [role=alert]').getByRole('link', { name: 'Open it at its own view' }).click();
    await waitReady(page);
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/slide\/he/);
    // And the way back works.
    await page.goto(`${baseUrl()}#/figure/abc`);
    await page.locator('lamina-app [role=alert]').getByRole('link', { name: 'Back to the case' }).click();
    await expect.poll(() => page.locator('[data-testid=gallery] li').count()).toBe(5);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an empty address is the case home, with no message', async () => {
    const { page } = await newPage(browser);
    for (const url of [baseUrl(), `${baseUrl()}#`, `${baseUrl()}#/`]) {
      await page.goto(url);
      await expect.poll(() => page.locator('[data-testid=gallery] li').count()).toBe(5);
      expect(await page.locator('lamina-app [role=alert]').count()).toBe(0);
    }
    await page.close();
  });
});

describe('views out of range', () => {
  it('z=100000 is clamped to 80x: readout, scale bar and address say so', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${baseUrl()}#/figure/4?x=25200&y=12000&z=100000&r=0`);
    await waitReady(page);
    expect(await readout(page)).toBe('80x');
    expect(await page.locator('[data-testid=scale-label]').innerText()).toBe('20 µm');
    expect((await currentView(page)).z).toBeCloseTo(80, 3);
    await expect.poll(async () => (await hashView(page))?.z).toBe(80);
    // The + button stops there too.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await waitReady(page);
    expect(await readout(page)).toBe('80x');
    expect((await currentView(page)).z).toBeCloseTo(80, 3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('x=1e15 is clamped to the slide, and the viewer gets ready with tissue on screen', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${baseUrl()}#/figure/4?x=1e15&y=-1e15&z=10&r=0`);
    await waitReady(page);
    const v = await currentView(page);
    expect(v.x).toBeCloseTo(40000, 0);
    expect(v.y).toBeCloseTo(0, 0);
    expect(await readout(page)).toBe('10x');
    // A quarter of the screen shows the slide's corner.
    expect(pixelStats(await viewerPixels(page)).lumaSd).toBeGreaterThan(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a Deep Zoom image is clamped once it opens, and the wheel stops at 80x whatever its µm per pixel', async () => {
    const { page, errors } = await newPage(browser);
    await servePyramid(page, '**/fixture-pyramid/**');
    // At 0.125 µm per pixel, 80x is one screen pixel per image pixel.
    await page.goto(`${baseUrl()}#/image?dzi=fixture-pyramid%2Fpattern.dzi&mpp=0.125&x=1e15&y=1e15&z=1e9&r=0`);
    await waitReady(page);
    const v = await currentView(page);
    expect(v.x).toBeCloseTo(1600, 0);
    expect(v.y).toBeCloseTo(1200, 0);
    expect(await readout(page)).toBe('80x');
    await page.getByRole('button', { name: '40x' }).click();
    await expect.poll(() => readout(page)).toBe('40x');
    const box = (await page.locator('lamina-slide-view .osd').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, -300);
      // OpenSeadragon ignores wheel events closer together than 50 ms.
      await page.waitForTimeout(80);
    }
    await waitReady(page);
    expect(await readout(page)).toBe('80x');
    expect((await currentView(page)).z).toBeLessThanOrEqual(80.01);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('images that will not open', () => {
  const descriptor = (inner: string, format = 'png'): string =>
    `<?xml version="1.0"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="${format}" Overlap="1" TileSize="254">${inner}</Image>`;
  const failures: Array<[string, (page: Page) => Promise<unknown>, RegExp]> = [
    ['an unreachable descriptor', (page) => page.route('**/dead-pyramid/**', (r) => r.abort('connectionrefused')), /descriptor at dead-pyramid\/x\.dzi could not be loaded \(network error, or the server refused it\)/],
    ['a missing (404) descriptor', (page) => page.route('**/dead-pyramid/**', (r) => r.fulfill({ status: 404, body: 'no' })), /could not be loaded: the server answered HTTP 404 Not Found/],
    ['a file that is no descriptor', (page) => page.route('**/dead-pyramid/**', (r) => r.fulfill({ status: 200, body: '<html><body>hello</body></html>', contentType: 'text/html' })), /The file at dead-pyramid\/x\.dzi is not a valid Deep Zoom descriptor \(its root element is <html>, not <Image>\)/],
    // OpenSeadragon threw on these inside its XHR callback: a blank viewer, no message.
    ['a descriptor without a size', (page) => page.route('**/dead-pyramid/**', (r) => r.fulfill({ status: 200, body: descriptor(''), contentType: 'application/xml' })), /not a valid Deep Zoom descriptor \(it has no <Size>\)/],
    ['a descriptor of TIFF tiles', (page) => page.route('**/dead-pyramid/**', (r) => r.fulfill({ status: 200, body: descriptor('<Size Width="10" Height="10"/>', 'tif'), contentType: 'application/xml' })), /has TIF tiles, which a browser cannot show/],
  ];
  for (const [what, serve, why] of failures) {
    it(`${what} is named in words, with a way back`, async () => {
      const { page, errors } = await newPage(browser);
      await serve(page);
      await page.goto(`${baseUrl()}#/image?dzi=${encodeURIComponent('dead-pyramid/x.dzi')}&mpp=0.5`);
      const alert = page.locator('lamina-slide-view [role=alert]');
      await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
      const text = await alert.innerText();
      expect(text).toMatch(why);
      expect(text).not.toMatch(/TileSource|HTTP 0/);
      await alert.getByRole('link', { name: 'Back to the case' }).click();
      await expect.poll(() => page.locator('[data-testid=gallery] li').count()).toBe(5);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('images from another site', () => {
  const remote = 'https://images.example.org/slides/pattern.dzi';
  const link = (url: string, mpp = 0.5): string => `${baseUrl()}#/image?dzi=${encodeURIComponent(url)}&mpp=${mpp}`;

  it('asks before loading, fetches nothing until "Load it", then remembers the yes for that site in this tab only', async () => {
    const { page, errors } = await newPage(browser, 1100, 800);
    const asked = await servePyramid(page, 'https://images.example.org/**');
    await page.goto(link(remote));
    const ask = page.locator('lamina-image-ask');
    await expect.poll(() => ask.count()).toBe(1);
    expect(await page.locator('[data-testid=image-url]').innerText()).toBe(remote);
    expect(await page.locator('lamina-image-ask section').innerText()).toContain('https://images.example.org');
    // Time for any request the page would make; none may go out.
    await page.waitForTimeout(1500);
    expect(asked).toEqual([]);
    expect(await page.locator('lamina-slide-view').count()).toBe(0);
    await page.getByRole('button', { name: 'Load it' }).click();
    await waitReady(page);
    expect(asked[0]).toBe(remote);
    expect(asked.some((u) => u.includes('/pattern_files/'))).toBe(true);
    // Another image from the same site, later in this tab: no question.
    await page.goto(`${baseUrl()}#/`);
    await expect.poll(() => page.locator('[data-testid=gallery] li').count()).toBe(5);
    await page.goto(link(remote, 0.25));
    await waitReady(page);
    expect(await ask.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
    // A new tab asks again.
    const other = await newPage(browser);
    const asked2 = await servePyramid(other.page, 'https://images.example.org/**');
    await other.page.goto(link(remote));
    await expect.poll(() => other.page.locator('lamina-image-ask').count()).toBe(1);
    expect(asked2).toEqual([]);
    await other.page.close();
  });

  it('shows a hostile address as text, and "Back to the case" leaves without fetching it', async () => {
    const { page, errors } = await newPage(browser);
    const asked: string[] = [];
    await page.route('https://evil.example/**', (r) => {
      asked.push(r.request().url());
      return r.abort();
    });
    const hostile = 'https://evil.example/a.dzi?<img src=x onerror="document.title=`pwned`">';
    await page.goto(link(hostile));
    await expect.poll(() => page.locator('lamina-image-ask').count()).toBe(1);
    expect(await page.locator('[data-testid=image-url]').innerText()).toBe(hostile);
    expect(await page.locator('lamina-image-ask img').count()).toBe(0);
    await page.getByRole('button', { name: 'Back to the case' }).click();
    await expect.poll(() => page.locator('[data-testid=gallery] li').count()).toBe(5);
    expect(await page.title()).not.toBe('pwned');
    expect(asked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
