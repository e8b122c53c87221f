// Input number `index` of a format for a run seed: always the same input for the same (seed, format, index).
import type { FuzzInput } from './check';
import { GENERIC, SPECS } from './generators';
import { mutate } from './mutate';
import { hashSeed, random } from './random';
import type { Seed } from './seeds';

export interface InputOptions {
  /** Allow the big inputs (100k lines, 4 MB lines); the test slice keeps every input small. */
  big: boolean;
}

const MAX_TEXT = 4 * 1024 * 1024 - 1024;

export function makeInput(seeds: readonly Seed[], format: string, runSeed: number, index: number, options: InputOptions): FuzzInput {
  const r = random(hashSeed(runSeed, format, index));
  const spec = SPECS[format];
  const roll = r.next();
  const texts = seeds.map((seed) => seed.text);
  if ((roll < 0.8 || !spec) && seeds.length) {
    const seed = r.pick(seeds);
    const { text, steps } = mutate(seed.text, r, texts, options.big ? MAX_TEXT : 200_000);
    // Siblings are sometimes damaged too (an included file being typed).
    const files = { ...seed.files };
    const siblings = Object.keys(files);
    if (siblings.length && r.chance(0.2)) {
      const name = r.pick(siblings);
      files[name] = mutate(files[name]!, r, texts, 200_000).text;
    }
    return { format, kind: `seed:${steps.join('+')}`, origin: seed.origin, path: seed.path, text, files, forced: !r.chance(0.15) };
  }
  if (!spec) return { format, kind: 'empty', origin: 'none', path: `/fz/${format}`, text: '', files: {}, forced: true };
  const big = options.big && r.chance(0.01);
  const size = big ? r.size(2000, 100_000) : r.size(1, options.big ? 3000 : 400);
  const pathological = Object.entries(spec.patho ?? {});
  let generated: { text: string; files?: Record<string, string>; path?: string };
  let name: string;
  if (pathological.length && r.chance(0.6)) {
    const [patho, make] = r.pick(pathological);
    name = patho;
    generated = make(size, r);
  } else {
    const [generic, make] = r.pick(Object.entries(GENERIC));
    name = generic;
    generated = { text: make(spec, size, r) };
  }
  let text = generated.text.length > MAX_TEXT ? generated.text.slice(0, MAX_TEXT) : generated.text;
  let kind = `patho:${name}`;
  if (r.chance(0.3)) {
    const mutated = mutate(text, r, texts.length ? texts : [text], options.big ? MAX_TEXT : 400_000);
    text = mutated.text;
    kind += `+${mutated.steps.join('+')}`;
  }
  return {
    format,
    kind,
    origin: `generator ${name} size ${size}`,
    path: generated.path ?? spec.path,
    text,
    files: generated.files ?? {},
    forced: !r.chance(0.15),
  };
}
