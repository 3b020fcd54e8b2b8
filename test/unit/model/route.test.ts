import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Route } from '../../../src/model/route';
import { formatRoute, isSafeImageUrl, parseRoute, viewsEqual } from '../../../src/model/route';

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
);

describe('URL state', () => {
  it('every route survives format → parse', () => {
    fc.assert(
      fc.property(route, (r) => {
        const back = parseRoute(formatRoute(r));
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

  it('falls back to home, or drops the view, on malformed input', () => {
    expect(parseRoute('#/figure/abc')).toEqual({ name: 'home' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'home' });
    expect(parseRoute('#/slide/<script>')).toEqual({ name: 'home' });
    expect(parseRoute('#/slide/he?x=NaN&y=1&z=2')).toEqual({ name: 'slide', slide: 'he' });
    expect(parseRoute('#/slide/he?x=1&y=1&z=-2')).toEqual({ name: 'slide', slide: 'he' });
    expect(parseRoute('#/slide/he?x=1e999&y=1&z=2')).toEqual({ name: 'slide', slide: 'he' });
  });

  it('never opens javascript: or data: URLs as images', () => {
    expect(isSafeImageUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeImageUrl('data:text/html,x')).toBe(false);
    expect(isSafeImageUrl('//evil.example/x.dzi')).toBe(false);
    expect(isSafeImageUrl('/local/slide.dzi')).toBe(true);
    expect(parseRoute('#/image?dzi=javascript%3Aalert(1)')).toEqual({ name: 'home' });
  });
});
