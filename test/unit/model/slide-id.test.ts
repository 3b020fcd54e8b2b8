import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HASH_RANGE, hashPlan, isFileSlideId, slideIdFromDigest, combinedDigestInput } from '../../../src/model/slide-id';
import { parseRoute } from '../../../src/model/route';
import { parseAnnotation } from '../../../src/model/annotation-schema';

describe('slide ids from content', () => {
  it('a small file is hashed whole; a large one at five fixed ranges inside it, start and end included', () => {
    expect(hashPlan(0)).toEqual([]);
    expect(hashPlan(1000)).toEqual([{ offset: 0, length: 1000 }]);
    const size = 2_000_000_000;
    const plan = hashPlan(size);
    expect(plan).toHaveLength(5);
    expect(plan[0]!.offset).toBe(0);
    expect(plan[4]!.offset + plan[4]!.length).toBe(size);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        const p = hashPlan(n);
        let end = 0;
        for (const r of p) {
          expect(r.offset).toBeGreaterThanOrEqual(end); // in order, no overlap
          expect(r.offset + r.length).toBeLessThanOrEqual(n);
          end = r.offset + r.length;
        }
        expect(p.reduce((s, r) => s + r.length, 0)).toBeLessThanOrEqual(Math.min(n, 5 * HASH_RANGE));
      }),
    );
  });

  it('the id is a valid route and annotation slide id', () => {
    const id = slideIdFromDigest(new Uint8Array(32).map((_, i) => i * 7));
    expect(isFileSlideId(id)).toBe(true);
    expect(parseRoute(`#/file/${id}?x=1&y=2&z=3`)).toMatchObject({ name: 'file', id });
    expect(parseRoute('#/file/not-a-hash').name).toBe('invalid');
    const a = { id: 'a1', slideId: id, classId: 'other', geometry: { type: 'point', point: [1, 2] }, label: '', note: '', author: '', created: 1, updated: 1, rev: 1 };
    expect(parseAnnotation(a).error).toBeUndefined();
  });

  it('a set of files has one id whatever order they were picked in', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5, 6]);
    expect(combinedDigestInput([a, b])).toEqual(combinedDigestInput([b, a]));
  });
});
