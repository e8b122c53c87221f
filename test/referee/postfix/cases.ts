// The configurations the referee judges: every Postfix fixture (annotations stripped), every golden
// file, every corpus file, and mutations of goldens and corpus files that plant the 項番21 mistake.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { defaultSettings } from '../../../src/core/settings';
import { SourceText } from '../../../src/core/source';
import type { Finding } from '../../../src/core/types';
import { postfixMain, postfixMaster, type PostfixConfig } from '../../../src/families/postfix/formats';
import { loadFixtureCases, memoryFiles, parseAnnotated } from '../../support/fixtures';
import { engine } from '../../../src/product';

export const FIXTURE_ROOT = path.resolve(__dirname, '../../../test-fixtures/postfix');
export const CORPUS_ROOT = path.resolve(__dirname, '../../../../shared/corpus/postfix');
export const DEBIAN_MASTER_CF = path.join(CORPUS_ROOT, 'debian-master.cf.dist');

export interface RefereeCase {
  /** e.g. fixture:mynetworks-public-range/master-override */
  name: string;
  kind: 'fixture' | 'golden' | 'corpus' | 'mutated' | 'fixed';
  /** File name (main.cf, master.cf, list files such as mynetworks) -> text as Postfix sees it. */
  files: Map<string, string>;
}

/** Where the engine sees a case's files (any folder works; list files resolve next to main.cf). */
export const caseFolder = (referee: RefereeCase) => `/referee/${referee.name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;

export async function fixtureCases(): Promise<RefereeCase[]> {
  const out: RefereeCase[] = [];
  for (const fixture of await loadFixtureCases(FIXTURE_ROOT)) {
    const stripped = new Map([...fixture.files].map(([name, text]) => [name, parseAnnotated(text).text]));
    if (!stripped.has('main.cf')) continue;
    out.push({ name: `fixture:${fixture.name}`, kind: 'fixture', files: stripped });
    if (fixture.golden.size > 0) out.push({ name: `golden:${fixture.name}`, kind: 'golden', files: new Map([...stripped, ...fixture.golden]) });
  }
  return out;
}

/** Corpus main.cf files; `gh-x-main.cf` takes its siblings `gh-x-<name>` as files called `<name>`. */
export async function corpusCases(): Promise<RefereeCase[]> {
  if (!existsSync(CORPUS_ROOT)) return [];
  const names = (await fs.readdir(CORPUS_ROOT)).sort();
  const out: RefereeCase[] = [];
  for (const name of names.filter((candidate) => candidate.includes('main.cf'))) {
    const files = new Map([['main.cf', await fs.readFile(path.join(CORPUS_ROOT, name), 'utf8')]]);
    const prefix = name.slice(0, name.indexOf('main.cf'));
    if (prefix.startsWith('gh-'))
      for (const sibling of names.filter((other) => other.startsWith(prefix) && other !== name && !other.includes('main.cf')))
        files.set(sibling.slice(prefix.length), await fs.readFile(path.join(CORPUS_ROOT, sibling), 'utf8'));
    // Debian's installed pair: main.cf built from main.cf.debian, master.cf copied from master.cf.dist.
    if (name === 'debian-main.cf.debian') files.set('master.cf', await fs.readFile(DEBIAN_MASTER_CF, 'utf8'));
    out.push({ name: `corpus:${name}`, kind: 'corpus', files });
  }
  return out;
}

/** The 項番21 mistake planted at the end of main.cf (the last definition wins). */
export function mutated(base: RefereeCase): RefereeCase {
  const main = base.files.get('main.cf') ?? '';
  const files = new Map(base.files);
  files.set('main.cf', `${main.replace(/\n?$/, '\n')}mynetworks = 127.0.0.0/8 [::1]/128 192.168.10.0/24 172.0.0.0/8\n`);
  return { name: base.name.replace(/^\w+:/, 'mutated:'), kind: 'mutated', files };
}

export interface EngineView {
  config: PostfixConfig;
  /** Findings per file name. */
  findings: Map<string, Finding[]>;
}

/** What the engine makes of a case: the model (read as from main.cf) and the findings in each file. */
export async function engineView(referee: RefereeCase): Promise<EngineView> {
  const folder = caseFolder(referee);
  const memory = memoryFiles(new Map([...referee.files].map(([name, text]) => [`${folder}/${name}`, text])));
  const settings = defaultSettings();
  const loaded = await postfixMain.load(new SourceText(`${folder}/main.cf`, referee.files.get('main.cf') ?? ''), { files: memory, settings });
  const findings = new Map<string, Finding[]>();
  for (const name of ['main.cf', 'master.cf']) {
    const text = referee.files.get(name);
    if (text === undefined) continue;
    const result = await engine.lintFile(`${folder}/${name}`, text, { files: memory, format: name === 'main.cf' ? postfixMain.id : postfixMaster.id });
    findings.set(name, result.findings);
  }
  return { config: loaded.model, findings };
}
