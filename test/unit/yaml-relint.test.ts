// The YAML families reuse work between lints of one path (parsed pieces, models, check results): a re-lint after
// an edit must report exactly what a cold lint of the same text reports (findings, ranges, messages, fixes,
// related locations, parse problems). Series of seeded edits over fixture, corpus and generated files, each
// re-lint compared with a lint of the same text under a path never linted before.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAccess } from '../../src/core/types';
import { engine } from '../../src/product';
import { parseAnnotated } from '../support/fixtures';
import { random } from '../fuzz/random';
import { parseAllDocuments } from 'yaml';
import { SourceText } from '../../src/core/source';
import type { ParseProblem } from '../../src/core/format';
import { clearYamlCache, parseYaml } from '../../src/families/shared/yaml-tree';

const FORMATS = new Set(['kubernetes-manifest', 'docker-compose', 'elasticsearch-yml', 'mongod-conf']);
/** What the env_file holds (changed during a series: a kept model must not keep what the file said earlier). */
let envFileText = 'POSTGRES_PASSWORD=postgres\nMYSQL_ROOT_PASSWORD=\n';

/** Files beside every linted file: a Compose `.env` (variables) and an env_file the generated services name. */
const besideFiles: FileAccess = {
  readFile: async (file) => (file.endsWith('/.env') ? 'TAG=7\nHOST_IP=0.0.0.0\n' : file.endsWith('/db.env') ? envFileText : undefined),
  readDirectory: async () => undefined,
};

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (!entry.name.endsWith('.golden') && !entry.name.endsWith('.md') && fs.statSync(full).size < 100_000) out.push(full);
  }
  return out.sort();
}

/** Fixture (annotations removed) and corpus files of the YAML formats, with the format each is detected as. */
function seeds(): { name: string; text: string; format: string }[] {
  const corpus = [path.resolve('../shared/corpus'), '/work/shared/corpus'].find((dir) => fs.existsSync(dir));
  const out: { name: string; text: string; format: string }[] = [];
  for (const file of [...filesUnder(path.resolve('test-fixtures')), ...(corpus ? filesUnder(corpus) : [])]) {
    if (file.includes('/editor-workspace/')) continue;
    const raw = fs.readFileSync(file, 'utf8');
    const text = file.includes('/test-fixtures/') ? parseAnnotated(raw).text : raw;
    const format = engine.detectFormat(file, text.slice(0, 8192))?.id;
    if (format && FORMATS.has(format)) out.push({ name: file, text, format });
  }
  return out;
}

/** Larger files, so that every way of parsing in pieces is taken (documents, top-level groups, service groups). */
function generated(): { name: string; text: string; format: string }[] {
  const compose = ['version: "3"', 'x-common: &common', '  restart: always', 'services:'];
  for (let i = 0; i < 120; i++)
    compose.push(
      `  svc${i}:`,
      ...(i % 4 === 0 ? ['    <<: *common'] : []),
      `    image: ${i % 8 === 3 ? 'redis:${TAG}' : ['nginx:1.27', 'redis:7', 'postgres:16', 'mongo:7', 'elasticsearch:8.13.0'][i % 5]}`,
      '    ports:',
      `      - "${i % 8 === 3 ? '${HOST_IP}:' : i % 2 ? '' : '0.0.0.0:'}${10000 + i}:${[80, 6379, 5432, 27017, 9200][i % 5]}"`,
      '    environment:',
      i % 6 === 2 ? '      OTHER: x' : `      POSTGRES_PASSWORD: ${i % 3 ? 'postgres' : 'Zq8!vR2#kLm9'}`,
      ...(i % 7 === 0 ? ['    network_mode: host'] : []),
      ...(i % 5 === 1 ? ['    command: redis-server --protected-mode no'] : []),
      ...(i % 6 === 2 ? ['    env_file: db.env'] : []),
    );
  compose.push('volumes:', '  data: {}');
  const manifest = (i: number) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: db${i % 6}`,
      'spec:',
      '  template:',
      '    metadata:',
      '      labels:',
      `        app: db${i % 6}`,
      '    spec:',
      '      containers:',
      `        - name: db`,
      `          image: ${['postgres:16', 'redis:7', 'mongo:7'][i % 3]}`,
      '          ports:',
      `            - containerPort: ${[5432, 6379, 27017][i % 3]}`,
      '          env:',
      '            - name: POSTGRES_PASSWORD',
      `              value: ${i % 2 ? 'postgres' : 'password'}`,
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: db${i % 6}-svc`,
      'spec:',
      `  type: ${i % 4 === 0 ? 'LoadBalancer' : 'ClusterIP'}`,
      '  selector:',
      `    app: db${i % 6}`,
      '  ports:',
      `    - port: ${[5432, 6379, 27017][i % 3]}`,
    ].join('\n');
  const ingress = (i: number) =>
    [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      `  name: admin${i}`,
      ...(i % 2 ? ['  annotations:', '    nginx.ingress.kubernetes.io/proxy-body-size: 16m'] : []),
      'spec:',
      '  ingressClassName: nginx',
      '  rules:',
      `    - host: site${i}.example.com`,
      '      http:',
      '        paths:',
      '          - path: /wp-admin',
      '            pathType: Prefix',
      '            backend:',
      '              service:',
      `                name: db${i % 6}-svc`,
      '                port:',
      '                  number: 80',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      `  name: policy${i}`,
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      `      app: db${(i + 1) % 6}`,
      '  ingress:',
      '    - from:',
      '        - ipBlock:',
      '            cidr: 0.0.0.0/0',
      '            except: [10.0.0.0/8]',
    ].join('\n');
  const k8s = Array.from({ length: 30 }, (_, i) => (i % 5 === 2 ? `${manifest(i)}\n---\n${ingress(i)}` : manifest(i))).join('\n---\n') + '\n';
  const es = ['network.host: 0.0.0.0', 'xpack.security.enabled: false', 'http.port: 9200'];
  for (let i = 0; i < 400; i++) es.push(i % 50 === 0 ? `group_${i}:\n  nested: ${i}` : `bench.setting_${i}: value_${i}`);
  const mongod = ['net:', '  bindIp: 0.0.0.0', '  port: 27017', 'security:', '  authorization: disabled'];
  for (let i = 0; i < 400; i++) mongod.push(`bench_${i}: value_${i}`);
  return [
    { name: '/generated/docker-compose.yml', text: compose.join('\n') + '\n', format: 'docker-compose' },
    { name: '/generated/manifests.yaml', text: k8s, format: 'kubernetes-manifest' },
    { name: '/generated/elasticsearch.yml', text: es.join('\n') + '\n', format: 'elasticsearch-yml' },
    { name: '/generated/mongod.conf', text: mongod.join('\n') + '\n', format: 'mongod-conf' },
  ];
}

/** Edits that change what the checks read, or how the YAML is split into pieces. */
const PIECES = [
  'x',
  ' ',
  '\n',
  '---\n',
  '  ',
  '- ',
  ': ',
  '#',
  '"',
  '&a ',
  '*a',
  '<<: *common\n',
  '0.0.0.0:',
  '127.0.0.1:',
  '6379',
  'redis',
  'postgres',
  'LoadBalancer',
  'password',
  '    ports:\n      - "27017:27017"\n',
  '  extra:\n    image: redis:7\n    ports:\n      - "6379:6379"\n',
  'security:\n  authorization: disabled\n',
  'xpack.security.enabled: false\n',
  'network.host: 0.0.0.0\n',
  'bench_3: duplicate\n',
  'net:\n  port: 1\n  port: 2\n',
  '&root ',
  'k: [',
  '}',
];

/** A result with the file's folder written as `<dir>`, so that lints of the same text under two folders compare. */
function canonical(result: unknown, file: string): string {
  return JSON.stringify(result)
    .split(`${path.dirname(file)}/`)
    .join('<dir>/');
}

let coldCount = 0;

async function compareSeries(seed: { name: string; text: string; format: string }, steps: number, seedNumber: number): Promise<void> {
  const next = random(seedNumber);
  const base = path.basename(seed.name);
  const warmPath = `/relint/warm/${seedNumber}/${base}`;
  let text = seed.text;
  for (let step = 0; step <= steps; step++) {
    if (step > 0) {
      if (next.chance(0.2)) envFileText = next.pick(['POSTGRES_PASSWORD=postgres\n', 'POSTGRES_PASSWORD=Zq8!vR2#kLm9\nMYSQL_ROOT_PASSWORD=\n', '']);
      // Half of the edits start again from the seed text, so that most lints see a nearly valid file.
      if (next.chance(0.5)) text = seed.text;
      const at = next.int(text.length + 1);
      const kind = next.int(6);
      if (kind === 0)
        text = text.replace('\n', ' \n'); // the benchmark's keystroke: the first line grows
      else if (kind === 1) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + next.int(40)));
      else {
        // At the start of a line half of the time, where YAML structure changes.
        const lineStart = next.chance(0.5) ? text.lastIndexOf('\n', at - 1) + 1 : at;
        text = text.slice(0, lineStart) + next.pick(PIECES) + text.slice(lineStart);
      }
    }
    const warm = await engine.lintFile(warmPath, text, { files: besideFiles, format: seed.format });
    const coldPath = `/relint/cold/${coldCount++}/${base}`;
    const cold = await engine.lintFile(coldPath, text, { files: besideFiles, format: seed.format });
    assert.equal(canonical(warm, warmPath), canonical(cold, coldPath), `${seed.name}, seed ${seedNumber}, step ${step}`);
  }
}

describe('YAML families: a re-lint after edits equals a cold lint of the same text', () => {
  const fromFiles = seeds();

  it('finds files of each YAML format', () => {
    for (const format of FORMATS)
      assert.ok(
        fromFiles.some((seed) => seed.format === format),
        `no ${format} file`,
      );
  });

  it('fixture and corpus files under seeded edits', async () => {
    let seedNumber = 1;
    for (const seed of fromFiles) await compareSeries(seed, 8, seedNumber++);
  });

  it('generated large files under seeded edits (pieces, groups and documents reused)', async () => {
    let seedNumber = 100;
    for (const seed of generated()) {
      await compareSeries(seed, 30, seedNumber++);
      await compareSeries(seed, 30, seedNumber++);
    }
  });

  it('duplicate keys found piece by piece are the ones the YAML package finds in the whole text', () => {
    const next = random(7);
    const duplicates = ['bench_3: duplicate\n', 'bench.setting_5: again\n', 'net:\n  port: 1\n  port: 2\n', 'group_50:\n  a: 1\n  a: 2\n', '  image: twice\n'];
    for (const seed of generated())
      for (let step = 0; step < 12; step++) {
        let text = seed.text;
        for (let count = 1 + next.int(3); count > 0; count--) {
          const at = text.lastIndexOf('\n', next.int(text.length)) + 1;
          text = text.slice(0, at) + next.pick(duplicates) + text.slice(at);
        }
        const whole = parseAllDocuments(text, { uniqueKeys: true });
        const documents = Array.isArray(whole) ? whole : [];
        if (documents.some((document) => document.errors.some((error) => error.code !== 'DUPLICATE_KEY'))) continue;
        const expected = documents.flatMap((document) => document.errors.map((error) => error.pos[0])).sort((a, b) => a - b);
        clearYamlCache();
        const problems: ParseProblem[] = [];
        parseYaml(new SourceText(seed.name, text), problems);
        const found = problems
          .filter((problem) => problem.message.data?.detail === 'Map keys must be unique')
          .map((problem) => problem.span.start)
          .sort((a, b) => a - b);
        assert.deepEqual(found, expected, `${seed.name}, step ${step}`);
      }
  });

  it('the same text linted twice in a row, and back after an edit, gives the same result', async () => {
    for (const seed of generated()) {
      const file = `/relint/again/${path.basename(seed.name)}`;
      const first = canonical(await engine.lintFile(file, seed.text, { files: besideFiles, format: seed.format }), file);
      const edited = seed.text.replace('\n', ' \n');
      await engine.lintFile(file, edited, { files: besideFiles, format: seed.format });
      const again = canonical(await engine.lintFile(file, seed.text, { files: besideFiles, format: seed.format }), file);
      const twice = canonical(await engine.lintFile(file, seed.text, { files: besideFiles, format: seed.format }), file);
      assert.equal(again, first, seed.name);
      assert.equal(twice, first, seed.name);
      assert.ok(first.includes('"findings"'), seed.name);
    }
  });
});
