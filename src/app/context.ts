import type { CaseManifest } from '../model/manifest';
import type { SceneEntry } from './case-data';
import type { TilePool } from '../viewer/tile-pool';
import type { DrawerChoice } from '../viewer/drawer';
import type { Router } from './router';
import type { LaminaDb } from '../storage/database';

/** What every screen needs, built once by the composition root and handed down as a property. */
export interface AppContext {
  readonly manifest: CaseManifest;
  readonly scenes: ReadonlyMap<string, SceneEntry>;
  readonly pool: TilePool;
  readonly drawer: DrawerChoice;
  readonly drawerReason: string;
  readonly router: Router;
  /** The annotation database, opened once on first use; rejects where IndexedDB is unavailable. */
  readonly db: () => Promise<LaminaDb>;
  /** Whether the database is open already (so using it costs nothing now). */
  readonly dbOpen: () => boolean;
  /** This tab's id, so cross-tab messages can ignore their own echo. */
  readonly tab: string;
}
