import caseJson from '../../images/case.json';
import sceneJson from '../../images/lms-block.scene.json';
import { parseManifest } from '../model/manifest';
import type { CaseManifest } from '../model/manifest';
import { validateSceneSpec } from '../specimen/scene';
import type { SceneSpec } from '../specimen/scene';

/** The case shipped with the app, validated at the boundary like any other input. */
export function loadCase(): { manifest: CaseManifest; scenes: Map<string, SceneSpec> } {
  const parsed = parseManifest(caseJson);
  if (parsed.error !== undefined) throw new Error(parsed.error);
  const sceneError = validateSceneSpec(sceneJson);
  if (sceneError) throw new Error(`Invalid scene: ${sceneError}`);
  const scene = sceneJson as SceneSpec;
  return { manifest: parsed.value, scenes: new Map([[scene.id, scene]]) };
}
