import caseJson from '../../images/case.json';
import sceneJson from '../../images/lms-block.scene.json';
import lodJson from '../../images/lms-block.lod.json';
import { REGION_ROW } from '../specimen/lod-table';
import type { RegionColourTable } from '../specimen/lod-table';
import { parseManifest } from '../model/manifest';
import type { CaseManifest } from '../model/manifest';
import { validateSceneSpec } from '../specimen/scene';
import type { SceneSpec } from '../specimen/scene';

/** The case shipped with the app, validated at the boundary like any other input. */
export interface SceneEntry {
  readonly spec: SceneSpec;
  /** Low-level colours measured by `npm run specimen:calibrate`; absent ones are measured at start. */
  readonly lod: RegionColourTable | undefined;
}

export function loadCase(): { manifest: CaseManifest; scenes: Map<string, SceneEntry> } {
  const parsed = parseManifest(caseJson);
  if (parsed.error !== undefined) throw new Error(parsed.error);
  const sceneError = validateSceneSpec(sceneJson);
  if (sceneError) throw new Error(`Invalid scene: ${sceneError}`);
  const scene = sceneJson as SceneSpec;
  const lod = lodJson.scene === scene.id ? parseColourTable(lodJson.colours) : undefined;
  return { manifest: parsed.value, scenes: new Map([[scene.id, { spec: scene, lod }]]) };
}

/** A malformed table is dropped (the workers then measure), never half-used. */
function parseColourTable(input: unknown): RegionColourTable | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const out: Record<string, number[][]> = {};
  for (const [section, rows] of Object.entries(input)) {
    if (!Array.isArray(rows)) return undefined;
    const ok = rows.every((r) => Array.isArray(r) && r.length === REGION_ROW && r.every((v) => typeof v === 'number' && v >= 0 && v <= 255));
    if (!ok) return undefined;
    out[section] = rows as number[][];
  }
  return out as RegionColourTable;
}
