import type { CaseManifest } from '../model/manifest';
import type { SceneEntry } from './case-data';
import type { TilePool } from '../viewer/tile-pool';
import type { DrawerChoice } from '../viewer/drawer';
import type { Router } from './router';
import type { Workspace } from './workspace';
import type { OwnSlides } from './own-slides';

/** What every screen needs, built once by the composition root and handed down as a property. */
export interface AppContext {
  readonly manifest: CaseManifest;
  readonly scenes: ReadonlyMap<string, SceneEntry>;
  readonly pool: TilePool;
  readonly drawer: DrawerChoice;
  readonly drawerReason: string;
  readonly router: Router;
  /** Annotations: screens ask it for a slide's session (it alone holds the database). */
  readonly annotations: Workspace;
  /** The user's own slide files: opened, remembered, listed (it alone holds their worker). */
  readonly ownSlides: OwnSlides;
}
