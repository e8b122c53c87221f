// The table a firewall referee prints: per case, rules loaded, probes sent, compared, unknown, disagreements.
import type { CaseResult } from './netns';

export function printRefereeTable(title: string, results: readonly CaseResult[], notes: readonly string[] = []): void {
  const rows = results.map((r) => [
    r.name,
    r.families.map((family) => `IPv${family}`).join('+'),
    r.loadError ? 'refused' : String(r.rulesLoaded),
    String(r.probes),
    String(r.compared),
    String(r.unknown),
    String(r.disagreements.length),
  ]);
  const sum = (pick: (r: CaseResult) => number) => String(results.reduce((total, r) => total + pick(r), 0));
  const header = ['file', 'family', 'rules loaded', 'probes sent', 'compared', 'unknown', 'disagreements'];
  const total = [
    'total',
    '',
    sum((r) => r.rulesLoaded),
    sum((r) => r.probes),
    sum((r) => r.compared),
    sum((r) => r.unknown),
    sum((r) => r.disagreements.length),
  ];
  const widths = header.map((cell, column) => Math.max(cell.length, total[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `      ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`;
  console.log([`      ${title}`, line(header), ...rows.map(line), line(total), ...notes.map((note) => `      ${note}`)].join('\n'));
}
