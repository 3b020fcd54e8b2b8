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

/** `?drawer=webgl|canvas` in the page URL overrides the detection (for comparison runs). */
export function chooseDrawer(search = location.search): { drawer: DrawerChoice; reason: string } {
  const forced = new URLSearchParams(search).get('drawer');
  if (forced === 'webgl' || forced === 'canvas') return { drawer: forced, reason: 'forced by URL' };
  const name = webglRendererName();
  if (!name) return { drawer: 'canvas', reason: 'no WebGL' };
  if (isSoftwareRenderer(name)) return { drawer: 'canvas', reason: `software WebGL (${name})` };
  return { drawer: 'webgl', reason: name };
}
