import type { ParseResult } from '../model/annotation-schema';
import type { Annotation } from '../model/annotation';
import { planImport } from '../model/formats/import-plan';
import type { ImportPlan } from '../model/formats/import-plan';
import { MAX_EMBEDDED_BYTES, readSetFile, writeSetFile } from '../model/teaching/set-file';
import type { EmbeddedFile } from '../model/teaching/set-file';
import type { TeachingSet } from '../model/teaching/types';
import type { AppContext } from './context';
import type { SlideInfo } from '../model/manifest';
import { isFileSlideId } from '../model/slide-id';

/**
 * A teaching set as one file (see model/teaching/set-file.ts): its slides' annotations and
 * classes go with it, as QuPath GeoJSON. Importing checks everything first and writes only
 * then: a file that fails anywhere adds nothing.
 */

/** Refused before reading: a set of the case's slides is a few MB. */
export const MAX_SET_BYTES = 300 * 1024 * 1024;

/** A set's slide: one of the case's, or a slide file of the user's own (by its content hash). */
async function slideFor(ctx: AppContext, slideId: string): Promise<SlideInfo | undefined> {
  return ctx.manifest.slides.find((s) => s.id === slideId) ?? (await ctx.ownSlides.slideInfo(slideId));
}

/** What a set file may carry of the teacher's own slide files (see set-file.ts). */
export { MAX_EMBEDDED_BYTES };

/**
 * The set as one file. Slides of the teacher's own are referred to by their content hash; with
 * `embed`, their files go in too (up to MAX_EMBEDDED_BYTES in all), so a student opens the set
 * without the files. Throws, in words, when a file to embed cannot be read here or is too large.
 */
export async function exportSetFile(ctx: AppContext, setId: string, opts: { embed?: boolean } = {}): Promise<Uint8Array> {
  const teaching = await ctx.annotations.teaching();
  const set = await teaching.get(setId);
  if (!set) throw new Error('That teaching set no longer exists.');
  const slides = [];
  const toEmbed: Array<{ index: number; files: readonly File[] }> = [];
  for (const slideId of new Set(set.items.map((it) => it.slideId))) {
    const info = await slideFor(ctx, slideId);
    if (!info) continue;
    const { annotations, classes } = await ctx.annotations.slideAnnotations(info);
    if (opts.embed && isFileSlideId(slideId)) {
      const files = await ctx.ownSlides.filesOf(slideId);
      if (!files) throw new Error(`the file of “${info.name}” cannot be read in this page: open it (Open slide), or export without slide files.`);
      toEmbed.push({ index: slides.length, files });
    }
    slides.push({ slideId, mpp: info.mpp, annotations, classes });
  }
  const total = toEmbed.reduce((n, e) => n + e.files.reduce((m, f) => m + f.size, 0), 0);
  if (total > MAX_EMBEDDED_BYTES) throw new Error(`its slide files are ${(total / 1e6).toFixed(0)} MB, more than the ${MAX_EMBEDDED_BYTES / 1024 / 1024} MB a set file carries: export it without them (each slide is then referred to by its content hash).`);
  const withFiles = [...slides] as Array<(typeof slides)[number] & { embedded?: EmbeddedFile[] }>;
  for (const e of toEmbed) {
    const embedded = await Promise.all(e.files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    withFiles[e.index] = { ...slides[e.index]!, embedded };
  }
  return writeSetFile(set, withFiles, new Date());
}

export async function importSetFile(ctx: AppContext, file: Blob & { readonly name?: string }): Promise<ParseResult<{ set: TeachingSet; annotations: number }>> {
  if (file.size > MAX_SET_BYTES) return { error: `the file is ${(file.size / 1e6).toFixed(0)} MB, more than any teaching set (limit ${MAX_SET_BYTES / 1024 / 1024} MB).` };
  const read = readSetFile(new Uint8Array(await file.arrayBuffer()));
  if (read.error !== undefined) return { error: read.error };
  const { set, slides } = read.value;
  // Everything is planned (and so checked) before anything is written.
  const plans: Array<{ slideId: string; plan: ImportPlan; rename: Map<string, string> }> = [];
  // Slide files carried by the set, opened (for this page only) and checked against their hash first.
  const adopt: string[] = [];
  for (const s of slides) {
    if (!s.embedded?.length || (await slideFor(ctx, s.slideId))) continue;
    const opened = await ctx.ownSlides.openUnremembered(s.embedded.map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name)));
    if ('error' in opened) return { error: `its slide file could not be opened: ${opened.error}` };
    if (opened.id !== s.slideId) return { error: `its slide file “${s.embedded[0]!.name}” is not the slide the set names (its content differs).` };
    adopt.push(opened.id);
  }
  for (const s of slides) {
    const info = await slideFor(ctx, s.slideId);
    if (!info) {
      return isFileSlideId(s.slideId)
        ? { error: `it refers to a slide file not opened in this browser (“${s.slideId}”): open that file first (Open slide), then import the set again.` }
        : { error: `it has annotations for a slide this case does not have (“${s.slideId.slice(0, 40)}”).` };
    }
    const session = await ctx.annotations.openSession(info);
    try {
      // The set's classes first, so its annotations keep their class names and colours.
      for (const c of s.classes) if (!session.classes.some((x) => x.id === c.id || x.name.toLowerCase() === c.name.toLowerCase())) await session.saveClass(c);
      let n = 0;
      const plan = planImport(s.file, {
        slideId: info.id,
        width: info.width,
        height: info.height,
        classes: session.classes,
        existingIds: new Set(await session.repo.annotationIds()),
        now: Date.now(),
        newId: () => `${crypto.randomUUID()}-${++n}`,
      });
      if (plan.error !== undefined) return { error: `slide ${info.name}: ${plan.error}` };
      const rename = new Map<string, string>();
      s.file.shapes.forEach((shape, i) => {
        const id = plan.value.annotations[i]?.id;
        if (shape.sourceId && id && id !== shape.sourceId) rename.set(shape.sourceId, id);
      });
      plans.push({ slideId: info.id, plan: plan.value, rename });
    } finally {
      session.destroy();
    }
  }
  // Everything checked: the embedded slides are remembered, with a copy kept in this browser.
  for (const id of adopt) await ctx.ownSlides.adopt(id);
  let added = 0;
  for (const { slideId, plan } of plans) {
    const info = (await slideFor(ctx, slideId))!;
    const session = await ctx.annotations.openSession(info);
    try {
      for (const c of plan.newClasses) await session.saveClass(c);
      const fresh: Annotation[] = plan.annotations.filter((a) => !session.store.get(a.id));
      if (fresh.length > 0) session.store.apply({ created: fresh, updated: [], deleted: [] }, 'import');
      await session.persistence.flushed();
      added += fresh.length;
    } finally {
      session.destroy();
    }
  }
  // Tour highlights follow annotations whose ids were taken here.
  const rename = new Map(plans.flatMap((p) => [...p.rename]));
  const adopted = await (await ctx.annotations.teaching()).adopt({
    ...set,
    items: set.items.map((it) => ({ ...it, tour: it.tour.map((st) => ({ ...st, highlight: st.highlight.map((id) => rename.get(id) ?? id) })) })),
  });
  return { value: { set: adopted, annotations: added } };
}
