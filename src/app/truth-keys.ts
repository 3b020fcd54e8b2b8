import type { RegionPolygons } from '../model/annotation';
import type { Pt } from '../model/geometry';
import type { SlideInfo } from '../model/manifest';
import type { FieldRect } from '../model/teaching/types';
import { GroundTruth } from '../specimen/truth';
import type { SceneEntry } from './case-data';

/**
 * Quiz keys from a virtual slide's ground truth: exactly what is drawn, so a teacher makes an
 * exact mitosis quiz in one click. Fields are in the slide's image pixels; the truth is in scene
 * micrometres (÷ µm per pixel).
 */
export class TruthKeys {
  private readonly truth: GroundTruth;

  private constructor(
    spec: SceneEntry['spec'],
    section: string,
    private readonly mpp: number,
  ) {
    this.truth = new GroundTruth(spec, section);
  }

  /** For a virtual slide of the case; undefined for any other image. */
  static of(slide: SlideInfo, scenes: ReadonlyMap<string, SceneEntry>): TruthKeys | undefined {
    if (slide.source.kind !== 'virtual') return undefined;
    const scene = scenes.get(slide.source.scene);
    return scene ? new TruthKeys(scene.spec, slide.source.section, slide.mpp) : undefined;
  }

  private rectUm(f: FieldRect): { x: number; y: number; width: number; height: number } {
    return { x: f.x * this.mpp, y: f.y * this.mpp, width: f.width * this.mpp, height: f.height * this.mpp };
  }

  /** Every mitosis in the field (or only the typical or the atypical ones), in image pixels. */
  mitoses(field: FieldRect, which: 'all' | 'typical' | 'atypical'): Pt[] {
    return this.truth
      .mitoses(this.rectUm(field))
      .filter((m) => which === 'all' || m.atypical === (which === 'atypical'))
      .map((m) => [m.x / this.mpp, m.y / this.mpp] as Pt)
      .filter(([x, y]) => x >= field.x && y >= field.y && x <= field.x + field.width && y <= field.y + field.height);
  }

  /** The Ki67 index of the tumour nuclei in the field, in percent (NaN with none). */
  ki67Percent(field: FieldRect): number {
    return this.truth.ki67(this.rectUm(field)).index * 100;
  }

  /** The necroses that reach into the field, whole, with their viable cuffs as holes. */
  necroses(field: FieldRect): RegionPolygons {
    const px = (poly: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Pt[][] => poly.map((ring) => ring.map(([x, y]) => [x / this.mpp, y / this.mpp] as Pt));
    return this.truth
      .necrosisPolygons()
      .map(px)
      .filter((poly) => poly[0]!.some(([x, y]) => x >= field.x && y >= field.y && x <= field.x + field.width && y <= field.y + field.height));
  }
}
