/**
 * Which OpenSeadragon drawer to use. Without a GPU, WebGL runs on a software rasteriser
 * (SwiftShader, llvmpipe) and OpenSeadragon's WebGL drawer pans at about 5 fps against 60 fps for
 * its canvas drawer, so software GL gets the canvas drawer.
 */

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export function isSoftwareRenderer(rendererName: string): boolean {
  return SOFTWARE_GL.test(rendererName);
}

export function webglRendererName(): string | undefined {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

export type DrawerChoice = 'webgl' | 'canvas';

/** Where the probe's verdict is kept between visits. */
export const DRAWER_KEY = 'lamina:drawer';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): Store | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled: every visit is a first visit
  }
}

/**
 * `?drawer=webgl|canvas` in the page URL forces a drawer (for comparison runs). Otherwise the
 * verdict of an earlier visit's probe, or the canvas drawer. Why not probe now: creating a
 * WebGL context starts the GPU process's rasteriser, ~0.3 s of CPU on a cold 2-core machine
 * without a GPU, while the page is trying to show its first tiles.
 */
export function chooseDrawer(search = location.search, store: Store | undefined = storage()): { drawer: DrawerChoice; reason: string } {
  const forced = new URLSearchParams(search).get('drawer');
  if (forced === 'webgl' || forced === 'canvas') return { drawer: forced, reason: 'forced by URL' };
  const kept = store?.getItem(DRAWER_KEY);
  if (kept === 'webgl' || kept === 'canvas') return { drawer: kept, reason: 'chosen on an earlier visit' };
  return { drawer: 'canvas', reason: 'first visit (WebGL is checked once the slide is shown)' };
}

/** Decides, once and when the page is idle, which drawer later visits use. */
export function probeDrawerLater(store: Store | undefined = storage(), delayMs = 5000): void {
  if (!store || store.getItem(DRAWER_KEY)) return;
  setTimeout(() => {
    const name = webglRendererName();
    store.setItem(DRAWER_KEY, name && !isSoftwareRenderer(name) ? 'webgl' : 'canvas');
  }, delayMs);
}
