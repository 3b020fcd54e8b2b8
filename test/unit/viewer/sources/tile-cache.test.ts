import { describe, expect, it } from 'vitest';
import { TileCache } from '../../../../src/viewer/sources/tile-cache';

/** A decoded tile as the cache sees it: a size, and whether it was released. */
function tile(w = 256, h = 256) {
  const t = { width: w, height: h, closed: false, close: () => (t.closed = true) };
  return t;
}
const asBitmap = (t: ReturnType<typeof tile>) => t as unknown as ImageBitmap;

describe('the decoded-tile cache: memory bounded by bytes, whatever the file', () => {
  it('never holds more than its budget: a thousand tiles of a huge slide leave four 256 KB tiles in a 1 MB cache, the rest released', () => {
    const cache = new TileCache(1024 * 1024);
    const all = Array.from({ length: 1000 }, () => tile());
    all.forEach((t, i) => cache.put(`s/9/${i}_0`, asBitmap(t)));
    expect(cache.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(cache.size).toBe(4);
    expect(all.filter((t) => !t.closed)).toHaveLength(4);
    expect(all.slice(-4).every((t) => !t.closed)).toBe(true);
  });

  it('evicts the least recently used: a tile looked at again outlives newer ones', () => {
    const cache = new TileCache(3 * 256 * 256 * 4);
    const [a, b, c, d] = [tile(), tile(), tile(), tile()];
    cache.put('a', asBitmap(a));
    cache.put('b', asBitmap(b));
    cache.put('c', asBitmap(c));
    expect(cache.get('a')).toBe(a);
    cache.put('d', asBitmap(d));
    expect(b.closed).toBe(true);
    expect(cache.get('b')).toBeUndefined();
    expect([a, c, d].map((t) => t.closed)).toEqual([false, false, false]);
  });

  it('a tile replaced under the same key is released and counted once; a closed slide’s tiles all go', () => {
    const cache = new TileCache();
    const [old, fresh, other] = [tile(), tile(512, 512), tile()];
    cache.put('s1/3/0_0', asBitmap(old));
    cache.put('s1/3/0_0', asBitmap(fresh));
    expect(old.closed).toBe(true);
    expect(cache.bytes).toBe(512 * 512 * 4);
    cache.put('s2/3/0_0', asBitmap(other));
    cache.clear('s1/');
    expect(fresh.closed).toBe(true);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(256 * 256 * 4);
  });

  it('one tile larger than the whole budget is still kept (the view needs it), alone', () => {
    const cache = new TileCache(1000);
    const [small, big] = [tile(10, 10), tile(2048, 2048)];
    cache.put('small', asBitmap(small));
    cache.put('big', asBitmap(big));
    expect(small.closed).toBe(true);
    expect(cache.get('big')).toBe(big);
  });
});
