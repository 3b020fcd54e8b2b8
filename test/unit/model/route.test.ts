import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ParsedRoute, Route } from '../../../src/model/route';
import { foreignOrigin, formatRoute, isSafeImageUrl, parseRoute, viewsEqual } from '../../../src/model/route';

/** The reason an address is refused, failing the test if it is not refused. */
function reason(hash: string): string {
  const r = parseRoute(hash);
  if (r.name !== 'invalid') throw new Error(`${hash} parsed as ${JSON.stringify(r)}`);
  expect(r.reason.length).toBeGreaterThan(10);
  return r.reason;
}

function valid(r: ParsedRoute): Route {
  if (r.name === 'invalid') throw new Error(`refused: ${r.reason}`);
  return r;
}

const view = fc.record({
  x: fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => Math.round(n * 10) / 10),
  y: fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => Math.round(n * 10) / 10),
  z: fc.double({ min: 0.01, max: 200, noNaN: true }).map((n) => Math.max(0.001, Math.round(n * 1000) / 1000)),
  r: fc.double({ min: 0, max: 359.9, noNaN: true }).map((n) => Math.round(n * 10) / 10),
});
const slideId = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

const route: fc.Arbitrary<Route> = fc.oneof(
  fc.constant<Route>({ name: 'home' }),
  fc.record({ name: fc.constant('figure' as const), figure: fc.integer({ min: 1, max: 999 }), view }),
  fc.record({ name: fc.constant('slide' as const), slide: slideId, view }),
  fc.record({ name: fc.constant('compare' as const), slides: fc.array(slideId, { minLength: 1, maxLength: 3 }), view, linked: fc.boolean() }),
  fc.record({ name: fc.constant('image' as const), url: fc.constantFrom('/pyr/a.dzi', 'https://example.org/x.dzi?k=1&j=2'), mpp: fc.constantFrom(0.25, 0.5), view }),
  fc.record({ name: fc.constant('study' as const), set: slideId, item: fc.integer({ min: 0, max: 50 }), step: fc.integer({ min: 0, max: 50 }) }),
);

describe('URL state', () => {
  it('every route survives format → parse', () => {
    fc.assert(
      fc.property(route, (r) => {
        const back = valid(parseRoute(formatRoute(r)));
        expect(back.name).toBe(r.name);
        if ('view' in r && r.view && 'view' in back) expect(viewsEqual(back.view, r.view, 0.05)).toBe(true);
        expect(formatRoute(back)).toBe(formatRoute(r));
      }),
    );
  });

  it('reads the documented examples', () => {
    expect(parseRoute('#/figure/4')).toEqual({ name: 'figure', figure: 4 });
    expect(parseRoute('#/slide/he?x=100&y=200&z=10&r=-90')).toEqual({ name: 'slide', slide: 'he', view: { x: 100, y: 200, z: 10, r: 270 } });
    expect(parseRoute('#/compare/he,sma,ki67?x=1&y=2&z=3&link=0')).toMatchObject({ name: 'compare', slides: ['he', 'sma', 'ki67'], linked: false });
  });

  it('reads study links, item and step counted from 1, and says why a bad one fails', () => {
    expect(parseRoute('#/study/set-1?item=2&step=3')).toEqual({ name: 'study', set: 'set-1', item: 1, step: 2 });
    expect(parseRoute('#/study/set-1')).toEqual({ name: 'study', set: 'set-1', item: 0, step: 0 });
    expect(reason('#/study/set-1?item=0')).toMatch(/counted from 1/);
    expect(reason('#/study')).toMatch(/names no teaching set/);
  });

  it('an empty address is the case home, with nothing to complain about', () => {
    for (const h of ['', '#', '#/', '#//', '#/?x=1']) expect(parseRoute(h)).toEqual({ name: 'home' });
  });

  it('says why a malformed address names no screen', () => {
    expect(reason('#/figure/abc')).toMatch(/“abc” is not a figure number/);
    expect(reason('#/figure')).toMatch(/names no figure/);
    expect(reason('#/figure/4/extra')).toMatch(/does not understand: “extra”/);
    expect(reason('#/nowhere')).toMatch(/no page called “nowhere”/);
    expect(reason('#/slide')).toMatch(/names no slide/);
    expect(reason('#/slide/<script>')).toMatch(/“<script>” is not a slide name/);
    // As a browser hands it over: percent-encoded, and quoted back decoded.
    expect(reason('#/slide/%3Cscript%3E')).toMatch(/“<script>” is not a slide name/);
    expect(reason('#/slide/%E0%A4%A')).toMatch(/“%E0%A4%A” is not a slide name/);
    expect(reason('#/compare/')).toMatch(/names no slides to compare/);
    expect(reason('#/compare')).toMatch(/names no slides to compare/);
    expect(reason('#/compare/he,<b>')).toMatch(/“<b>” is not a slide name/);
    expect(reason('#/compare/a,b,c,d')).toMatch(/at most three slides; the address names 4/);
    expect(reason('#/image')).toMatch(/names no image/);
    expect(reason('#/image?dzi=')).toMatch(/names no image/);
    expect(reason('#/image?dzi=a.dzi&mpp=0')).toMatch(/mpp is the image's µm per pixel/);
    expect(reason('#/image?dzi=a.dzi&mpp=abc')).toMatch(/not “abc”/);
    expect(reason('#/image?dzi=a.dzi&mpp=')).toMatch(/mpp/);
  });

  it('refuses a malformed view, and offers the same screen without it', () => {
    const cases: Array<[string, RegExp, Route]> = [
      ['#/slide/he?x=NaN&y=1&z=2', /x must be a number, not “NaN”/, { name: 'slide', slide: 'he' }],
      ['#/slide/he?x=1&y=1&z=-2', /z is a magnification and must be above 0/, { name: 'slide', slide: 'he' }],
      ['#/slide/he?x=1&y=1&z=0', /must be above 0/, { name: 'slide', slide: 'he' }],
      ['#/slide/he?x=1e999&y=1&z=2', /x must be a number/, { name: 'slide', slide: 'he' }],
      ['#/figure/4?x=1&y=2', /needs x, y and z together; this address gives only x, y/, { name: 'figure', figure: 4 }],
      ['#/figure/4?r=90', /gives only r/, { name: 'figure', figure: 4 }],
      ['#/figure/4?x=&y=1&z=1', /x must be a number, not “”/, { name: 'figure', figure: 4 }],
      ['#/compare/he,sma?x=1&y=2&z=abc&link=0', /z must be a number/, { name: 'compare', slides: ['he', 'sma'], linked: false }],
      ['#/image?dzi=a.dzi&x=1&y=2&z=10&r=zz', /r must be a number/, { name: 'image', url: 'a.dzi', mpp: 0.25 }],
    ];
    for (const [hash, why, suggestion] of cases) {
      expect(reason(hash), hash).toMatch(why);
      expect(parseRoute(hash), hash).toMatchObject({ suggestion });
    }
  });

  it('keeps numbers that are well formed but out of range for the viewer to clamp', () => {
    expect(parseRoute('#/figure/4?x=1e15&y=-5&z=100000&r=720')).toEqual({ name: 'figure', figure: 4, view: { x: 1e15, y: -5, z: 100000, r: 0 } });
  });

  it('cuts a long quoted part short', () => {
    const r = reason(`#/${'a'.repeat(5000)}`);
    expect(r.length).toBeLessThan(200);
    expect(r).toContain('…');
  });

  it('never throws, and parses every address to a screen that round-trips or to a reason', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('', '#', '#/', '#/figure/', '#/slide/', '#/compare/', '#/image?dzi='), (s, prefix) => {
        const r = parseRoute(prefix + s);
        if (r.name === 'invalid') {
          expect(r.reason).not.toBe('');
          return;
        }
        const back = valid(parseRoute(formatRoute(r)));
        expect(back.name).toBe(r.name);
        expect(formatRoute(back)).toBe(formatRoute(r));
      }),
    );
  });

  it('never opens javascript: or data: URLs as images', () => {
    expect(isSafeImageUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeImageUrl('data:text/html,x')).toBe(false);
    expect(isSafeImageUrl('//evil.example/x.dzi')).toBe(false);
    expect(isSafeImageUrl('/local/slide.dzi')).toBe(true);
    expect(reason('#/image?dzi=javascript%3Aalert(1)')).toMatch(/only from http\(s\) addresses or paths on this site, not “javascript:alert\(1\)”/);
    expect(reason('#/image?dzi=data%3Atext%2Fhtml%2Cx')).toMatch(/not “data:/);
    expect(reason('#/image?dzi=%2F%2Fevil.example%2Fx.dzi')).toMatch(/not “\/\/evil/);
  });

  it('tells an image on another site from one on this site', () => {
    const page = 'http://127.0.0.1:4173/index.html#/image?dzi=x';
    expect(foreignOrigin('fixture/pattern.dzi', page)).toBeUndefined();
    expect(foreignOrigin('/fixture/pattern.dzi', page)).toBeUndefined();
    expect(foreignOrigin('http://127.0.0.1:4173/a.dzi', page)).toBeUndefined();
    expect(foreignOrigin('https://127.0.0.1:4173/a.dzi', page)).toBe('https://127.0.0.1:4173');
    expect(foreignOrigin('http://127.0.0.1:9999/a.dzi', page)).toBe('http://127.0.0.1:9999');
    expect(foreignOrigin('https://images.example.org/s/a.dzi?k=1', page)).toBe('https://images.example.org');
  });
});
