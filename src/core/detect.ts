import type { FormatHandler } from './format';
import { compileGlob } from './glob';
import { CONTENT_SNIFF_BYTES, looksLikeSourceCode, neverConfigName } from './sniff';
import { type TemplateScan, hasTagOpener, neutralise, renderedName, scanTemplate } from './template';

export { CONTENT_SNIFF_BYTES } from './sniff';

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/');
}

/**
 * Decides a file's format among `formats`, speaking only when sure:
 *  1. a user association wins (`none`/`off` silences a file);
 *  2. names that are never configuration (Dockerfile, *.py, *.md, ...) and program source are never taken;
 *  3. a format whose name test matches (nginx.conf, main.cf) takes the file unless the content contradicts it;
 *  4. a format whose folder test matches (a file under nginx/) takes it only when the content fits;
 *  5. a format whose content test alone is unambiguous takes it.
 * A template (`site.conf.j2`, a file with `{% %}` tags) is judged by the name it renders to and by its
 * content with the template tags set aside. Without `text`, only the name is asked: the answer is provisional
 * (content may still veto it). Returns undefined for files this product does not read. `formats` may be a
 * function, called only once a format is needed (a never-configuration name is refused without it).
 */
export function detectFormatIn(
  formatList: readonly FormatHandler<unknown>[] | (() => readonly FormatHandler<unknown>[]),
  path: string,
  text: string | undefined,
  associations: Record<string, string> = {},
): FormatHandler<unknown> | undefined {
  const normalised = normalisePath(path);
  const baseName = normalised.slice(normalised.lastIndexOf('/') + 1);
  const rendered = renderedName(baseName);
  let listed = typeof formatList === 'function' ? undefined : formatList;
  const formatsOf = () => (listed ??= (formatList as () => readonly FormatHandler<unknown>[])());
  for (const [glob, formatId] of Object.entries(associations)) {
    const pattern = compileGlob(glob);
    if (pattern.test(normalised) || pattern.test(baseName)) {
      const handler = formatsOf().find((format) => format.id === formatId);
      if (handler) return handler;
      if (formatId === 'none' || formatId === 'off') return undefined;
    }
  }
  if (neverConfigName(rendered.name)) return undefined;
  const formats = formatsOf();
  const renderedPath = rendered.template ? normalised.slice(0, normalised.length - baseName.length) + rendered.name : normalised;
  const byName = formats.filter((handler) => handler.detectByName(renderedPath, rendered.name));
  if (text === undefined) return byName[0];
  // A binary file with a configuration's name is taken, so that the engine can say why it is not read.
  if (looksBinary(text)) return byName[0];

  const raw = text.slice(0, CONTENT_SNIFF_BYTES);
  const template = findTemplate(rendered, raw);
  const head = template ? neutralise(raw, template) : raw;
  // Program source is never taken, whatever its name says; asked only once a format would take the file.
  const unlessSource = (handler: FormatHandler<unknown>) => (looksLikeSourceCode(head) ? undefined : handler);
  for (const handler of byName) if (handler.judgeContent?.(head) !== 'contradicts') return unlessSource(handler);
  for (const handler of formats)
    if (handler.detectByFolder?.(renderedPath, rendered.name) && handler.judgeContent?.(head) === 'fits') return unlessSource(handler);
  for (const handler of formats) if (handler.detectByContent?.(head) && handler.judgeContent?.(head) !== 'contradicts') return unlessSource(handler);
  return undefined;
}

/**
 * The template tags of the file at `path`, when it is a template: its name ends in a template suffix
 * (`.j2`, `.tmpl`, `.erb`, ...) or its text has template tags that its format would not read as data.
 */
export function templateTagsOf(path: string, text: string): TemplateScan | undefined {
  const normalised = normalisePath(path);
  return findTemplate(renderedName(normalised.slice(normalised.lastIndexOf('/') + 1)), text);
}

function findTemplate(rendered: { name: string; template: boolean }, text: string): TemplateScan | undefined {
  if (!hasTagOpener(text)) return undefined;
  // YAML reads `{{ }}` inside quotes as data; a Kubernetes manifest may have no .yaml name.
  const yaml = /\.ya?ml$/i.test(rendered.name) || /^(apiVersion|kind):/m.test(text.slice(0, CONTENT_SNIFF_BYTES));
  return scanTemplate(text, { byName: rendered.template, yaml });
}

/** A NUL in the first kilobytes means this is not a text configuration file. */
export function looksBinary(text: string): boolean {
  return text.slice(0, CONTENT_SNIFF_BYTES).includes('\u0000');
}
