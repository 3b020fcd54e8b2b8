import { describe, expect, it } from 'vitest';
import type { DziFields } from '../../../src/viewer/dzi-descriptor';
import { describeDziFailure, dziTilesLocation, parseDziFields } from '../../../src/viewer/dzi-descriptor';

const url = 'https://images.example.org/s/a.dzi';
const good: DziFields = { root: 'Image', namespace: 'http://schemas.microsoft.com/deepzoom/2008', format: 'png', tileSize: '254', overlap: '1', width: '1600', height: '1200', hasSize: true };

/** The failure a descriptor gets, in words. */
function why(f: Partial<DziFields>): string {
  const r = parseDziFields({ ...good, ...f });
  if (!r.error) throw new Error('accepted');
  return describeDziFailure(url, r.error);
}

describe('Deep Zoom descriptors', () => {
  it('reads a well-formed descriptor', () => {
    expect(parseDziFields(good)).toEqual({ value: { format: 'png', tileSize: 254, overlap: 1, width: 1600, height: 1200 } });
    expect(parseDziFields({ ...good, format: 'JPG', overlap: null, namespace: 'http://schemas.microsoft.com/deepzoom/2009' })).toMatchObject({ value: { format: 'jpg', overlap: 0 } });
  });

  it('says what is wrong with a descriptor that is not one', () => {
    expect(why({ root: '' })).toBe(`The file at ${url} is not a valid Deep Zoom descriptor (it is not XML).`);
    expect(why({ root: 'html' })).toMatch(/its root element is <html>, not <Image>/);
    expect(why({ root: 'Collection' })).toMatch(/a Deep Zoom collection/);
    expect(why({ namespace: null })).toMatch(/not in the Deep Zoom namespace/);
    expect(why({ tileSize: 'big' })).toMatch(/TileSize/);
    expect(why({ tileSize: '0' })).toMatch(/TileSize/);
    expect(why({ overlap: '300' })).toMatch(/Overlap/);
    expect(why({ hasSize: false, width: null, height: null })).toMatch(/it has no <Size>/);
    expect(why({ width: '-5' })).toMatch(/Width and Height/);
    expect(why({ height: '1e3' })).toMatch(/Width and Height/);
    expect(why({ format: null })).toMatch(/names no tile Format/);
  });

  it('tiles a browser cannot decode', () => {
    expect(why({ format: 'tif' })).toBe(`The Deep Zoom image at ${url} has TIF tiles, which a browser cannot show.`);
  });

  it('a network error or refused request, and an HTTP status (named where the server did not)', () => {
    expect(describeDziFailure(url, { kind: 'network' })).toBe(`The Deep Zoom descriptor at ${url} could not be loaded (network error, or the server refused it).`);
    expect(describeDziFailure(url, { kind: 'http', status: 404, statusText: '' })).toBe(`The Deep Zoom descriptor at ${url} could not be loaded: the server answered HTTP 404 Not Found.`);
    expect(describeDziFailure(url, { kind: 'http', status: 404, statusText: 'Nope' })).toMatch(/HTTP 404 Nope\.$/);
    expect(describeDziFailure(url, { kind: 'http', status: 418, statusText: '' })).toMatch(/HTTP 418\.$/);
  });

  it('finds the tiles beside the descriptor, keeping its query string', () => {
    expect(dziTilesLocation('fixture-pyramid/pattern.dzi')).toEqual({ tilesUrl: 'fixture-pyramid/pattern_files/', queryParams: '' });
    expect(dziTilesLocation('https://x.org/a/b.xml?sig=1&t=2')).toEqual({ tilesUrl: 'https://x.org/a/b_files/', queryParams: '?sig=1&t=2' });
    expect(dziTilesLocation('/s/B.DZI')).toEqual({ tilesUrl: '/s/B_files/', queryParams: '' });
  });
});
