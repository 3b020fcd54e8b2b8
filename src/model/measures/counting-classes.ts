import type { AnnotationClass } from '../classes';

/**
 * Classes the counting tools draw with, made on a slide the first time they are needed (older
 * profiles were seeded before they existed). Mitoses and Ki67 nuclei use the default classes.
 */
export const HPF_CLASS: AnnotationClass = { id: 'hpf', name: 'High-power field', colour: '#0ea5e9', key: 0, tool: 'polygon' };
export const KI67_REGION_CLASS: AnnotationClass = { id: 'ki67-region', name: 'Ki67 region', colour: '#f59e0b', key: 0, tool: 'polygon' };
export const TUMOUR_REGION_CLASS: AnnotationClass = { id: 'tumour-region', name: 'Tumour region', colour: '#be123c', key: 0, tool: 'polygon' };

export const COUNTING_CLASSES: readonly AnnotationClass[] = [HPF_CLASS, KI67_REGION_CLASS, TUMOUR_REGION_CLASS];

/** Default classes the counts read. */
export const MITOSIS_CLASSES = { typical: 'typical-mitosis', atypical: 'atypical-mitosis' } as const;
export const KI67_CLASSES = { positive: 'ki67-positive', negative: 'ki67-negative' } as const;
export const NECROSIS_CLASS = 'necrosis';
