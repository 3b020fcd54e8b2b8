import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatLength, formatMagnification, magnificationFromUmPerScreenPx, scaleBar, umPerScreenPxAt } from '../../../src/model/optics';

describe('magnification', () => {
  it('40x is 0.25 µm per screen pixel, 10x is 1 µm, 2.5x is 4 µm', () => {
    expect(magnificationFromUmPerScreenPx(0.25)).toBe(40);
    expect(magnificationFromUmPerScreenPx(1)).toBe(10);
    expect(umPerScreenPxAt(2.5)).toBe(4);
  });
  it('formats like a microscope turret', () => {
    expect(formatMagnification(10)).toBe('10x');
    expect(formatMagnification(2.5)).toBe('2.5x');
    expect(formatMagnification(39.6)).toBe('40x');
    expect(formatMagnification(0.3125)).toBe('0.31x');
    expect(formatMagnification(Number.NaN)).toBe('—');
  });
});

describe('scale bar', () => {
  it('picks round lengths', () => {
    expect(scaleBar(1, 160)).toEqual({ px: 100, um: 100, label: '100 µm' });
    expect(scaleBar(0.25, 160)).toEqual({ px: 80, um: 20, label: '20 µm' });
    expect(scaleBar(4, 160).label).toBe('500 µm');
    expect(scaleBar(16, 160).label).toBe('2 mm');
    expect(formatLength(1500)).toBe('1.5 mm');
  });
  it('always fits, never shorter than 40% of the room, and its pixels match its length', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), fc.integer({ min: 40, max: 400 }), (upp, max) => {
        const b = scaleBar(upp, max);
        expect(b.px).toBeLessThanOrEqual(max + 1e-9);
        expect(b.px).toBeGreaterThanOrEqual(max * 0.4 - 1e-9);
        expect(b.px * upp).toBeCloseTo(b.um, 6);
        const mantissa = b.um / 10 ** Math.floor(Math.log10(b.um) + 1e-12);
        expect([1, 2, 5]).toContainEqual(Math.round(mantissa));
      }),
    );
  });
  it('shows nothing for a nonsense zoom', () => {
    expect(scaleBar(0).px).toBe(0);
    expect(scaleBar(Number.NaN).label).toBe('—');
  });
});
