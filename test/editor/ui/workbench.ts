// What a person does in the workbench, as playwright steps: open a file with Quick Open, run a
// command from the palette, read the Problems panel, hover, pick a quick fix. Every wait is for
// something visible, with a deadline; none is a fixed sleep.
import type { Browser, Page } from './browser';

export interface ProblemRow {
  /** Workspace-relative path of the file the marker belongs to. */
  file: string;
  message: string;
  source: string;
  code: string;
  /** 1-based, as the panel shows them. */
  line: number;
  column: number;
}

export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url, { timeout: 60_000 });
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  // The Restricted Mode banner slides in late and shifts the layout; wait for it before pointing at things.
  await page.locator('.statusbar').filter({ hasText: 'Restricted Mode' }).waitFor({ timeout: 60_000 });
  await page.locator('.part.banner').filter({ hasText: 'Restricted Mode' }).waitFor({ timeout: 60_000 });
  return page;
}

export async function quickOpen(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(relativePath);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ hasText: relativePath.split('/').pop()! })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await page
    .locator('.tabs-container .tab.active')
    .filter({ hasText: relativePath.split('/').pop()! })
    .waitFor();
  await page.locator('.monaco-editor.focused').waitFor();
}

/** Runs a command-palette entry by its visible title; returns the row text that was picked. */
export async function runCommand(page: Page, title: string): Promise<string> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(title);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor();
  const text = await row.innerText();
  await row.click();
  return text;
}

/** Moves the cursor with Go to Line (`line:column`, 1-based). */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page
    .locator('.statusbar')
    .filter({ hasText: `Ln ${line}, Col ${column}` })
    .waitFor();
}

export async function showProblems(page: Page): Promise<void> {
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
}

/** Reads every marker row of the Problems panel with the file it is listed under. */
export async function problemRows(page: Page): Promise<ProblemRow[]> {
  return page.evaluate<ProblemRow[]>(`(() => {
    const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
    const found = [];
    let file = '';
    for (const row of rows) {
      const name = row.querySelector('.resource-label .label-name, .monaco-icon-label .label-name');
      const code = row.querySelector('.marker-code');
      if (code) {
        const position = /Ln (\\d+), Col (\\d+)/.exec(row.querySelector('.marker-line')?.textContent ?? '') ?? [];
        found.push({
          file,
          message: row.querySelector('.marker-message')?.textContent ?? '',
          source: row.querySelector('.marker-source')?.textContent ?? '',
          code: code.textContent ?? '',
          line: Number(position[1]),
          column: Number(position[2]),
        });
      } else if (name && !row.querySelector('.marker-line')) {
        const description = row.querySelector('.label-description')?.textContent ?? '';
        file = (description ? description + '/' : '') + name.textContent;
      }
    }
    return found;
  })()`);
}

/** Waits until the Problems panel lists exactly `keys` (`rule@line:col`) for `file`. */
export async function waitForProblems(page: Page, file: string, keys: string[], timeoutMs = 30_000): Promise<ProblemRow[]> {
  const wanted = JSON.stringify([...keys].sort());
  const deadline = Date.now() + timeoutMs;
  let rows: ProblemRow[] = [];
  while (Date.now() < deadline) {
    rows = (await problemRows(page)).filter((row) => row.file === file);
    if (JSON.stringify(rows.map((row) => `${row.code}@${row.line}:${row.column}`).sort()) === wanted) return rows;
    await page.locator('.markers-panel').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Problems panel for ${file}: wanted ${wanted}, shows ${JSON.stringify(rows.map((row) => `${row.code}@${row.line}:${row.column}`))}`);
}

/** Text of the visible editor hover once it contains `expected`. */
export async function hoverText(page: Page, expected: string, timeoutMs = 15_000): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: expected }).first();
  await hover.waitFor({ timeout: timeoutMs });
  return hover.innerText();
}

export async function openTabs(page: Page): Promise<string[]> {
  return page.locator('.tabs-container .tab').allInnerTexts();
}
