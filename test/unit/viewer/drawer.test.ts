import { describe, expect, it } from 'vitest';
import { chooseDrawer, DRAWER_KEY, isSoftwareRenderer } from '../../../src/viewer/drawer';

describe('drawer choice', () => {
  it('recognises software WebGL renderers', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });

  it('uses the canvas drawer on a first visit, an earlier visit\'s verdict after, and the URL over both', () => {
    const kept = new Map<string, string>();
    const store = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    expect(chooseDrawer('', store).drawer).toBe('canvas');
    kept.set(DRAWER_KEY, 'webgl');
    expect(chooseDrawer('', store)).toEqual({ drawer: 'webgl', reason: 'chosen on an earlier visit' });
    expect(chooseDrawer('?drawer=canvas', store).drawer).toBe('canvas');
    kept.set(DRAWER_KEY, '<script>');
    expect(chooseDrawer('', store).drawer).toBe('canvas');
    expect(chooseDrawer('', undefined).drawer).toBe('canvas');
  });
});
