// Reads the expectations a fixture states inline: a comment of carets under a line marks a finding
//   mynetworks = 127.0.0.0/8 172.0.0.0/8
//   #                        ^^^^^^^^^^^ postfix/mynetworks-public-range error
// Pure (no 'vscode'), so the in-editor suite and the browser-driving script share it.

export interface ExpectedFinding {
  /** 0-based line of the flagged text. */
  line: number;
  character: number;
  length: number;
  ruleId: string;
  severity?: string;
}

const ANNOTATION = /^\s*#(\s*)(\^+)\s+([\w-]+\/[\w-]+)(?:\s+(error|warning|info))?\s*$/;

export function expectedFindings(text: string): ExpectedFinding[] {
  const lines = text.split(/\r?\n/);
  const expected: ExpectedFinding[] = [];
  let target = -1;
  for (const [index, line] of lines.entries()) {
    const match = ANNOTATION.exec(line);
    if (!match) {
      target = index;
      continue;
    }
    const character = line.indexOf('^');
    expected.push({ line: target, character, length: match[2]!.length, ruleId: match[3]!, ...(match[4] ? { severity: match[4] } : {}) });
  }
  return expected;
}

/** `rule@line:col` with 1-based line and column, as the Problems panel shows them. */
export function findingKey(finding: { ruleId: string; line: number; character: number }): string {
  return `${finding.ruleId}@${finding.line + 1}:${finding.character + 1}`;
}
