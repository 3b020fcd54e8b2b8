import type { ParseResult } from '../model/annotation-schema';
import type { Annotation } from '../model/annotation';
import { planImport } from '../model/formats/import-plan';
import type { ImportPlan } from '../model/formats/import-plan';
import { readSetFile, writeSetFile } from '../model/teaching/set-file';
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

export async function exportSetFile(ctx: AppContext, setId: string): Promise<Uint8Array> {
  const teaching = await ctx.annotations.teaching();
  const set = await teaching.get(setId);
  if (!set) throw new Error('That teaching set no longer exists.');
  const slides = [];
  for (const slideId of new Set(set.items.map((it) => it.slideId))) {
    const info = await slideFor(ctx, slideId);
    if (!info) continue;
    const { annotations, classes } = await ctx.annotations.slideAnnotations(info);
    slides.push({ slideId, mpp: info.mpp, annotations, classes });
  }
  return writeSetFile(set, slides, new Date());
}

export async function importSetFile(ctx: AppContext, file: Blob & { readonly name?: string }): Promise<ParseResult<{ set: TeachingSet; annotations: number }>> {
  if (file.size > MAX_SET_BYTES) return { error: `the file is ${(file.size / 1e6).toFixed(0)} MB, more than any teaching set (limit ${MAX_SET_BYTES / 1024 / 1024} MB).` };
  const read = readSetFile(new Uint8Array(await file.arrayBuffer()));
  if (read.error !== undefined) return { error: read.error };
  const { set, slides } = read.value;
  // Everything is planned (and so checked) before anything is written.
  const plans: Array<{ slideId: string; plan: ImportPlan; rename: Map<string, string> }> = [];
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
