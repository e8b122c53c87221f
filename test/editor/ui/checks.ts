// What a person sees, checked in the real workbench: the Problems panel, the hover with the incident,
// the quick fix changing the file, "Audit Workspace" from the palette, and the Japanese display.
// Expected findings come from the fixture's inline annotations; expected messages from the engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../../src/core/types';
import { expectedFindings, findingKey } from '../expectations';
import type { Browser, Page } from './browser';
import type { Results } from './results';
import { goTo, hoverText, openTabs, openWorkbench, quickOpen, runCommand, showProblems, waitForProblems } from './workbench';
import { engine } from '../../../src/product';

const MAIN_CF = 'postfix/main.cf';
const NEVER_OPENED = ['legacy/etc/postfix/main.cf', 'backups/relay-2019.conf'];
const INCIDENT = engine.catalogue.threatById('incident-2020h1-21')!;

function expectedKeys(workspace: string, relative: string): string[] {
  return expectedFindings(fs.readFileSync(path.join(workspace, relative), 'utf8')).map(findingKey);
}

async function engineFindings(workspace: string, relative: string): Promise<Finding[]> {
  const file = path.join(workspace, relative);
  const files = {
    readFile: async (name: string) => (fs.existsSync(name) ? fs.readFileSync(name, 'utf8') : undefined),
    readDirectory: async (name: string) => (fs.existsSync(name) ? fs.readdirSync(name) : undefined),
  };
  return (await engine.lintFile(file, fs.readFileSync(file, 'utf8'), { files })).findings;
}

async function hoverOverFirstSquiggle(page: Page, expected: string): Promise<string> {
  const squiggle = page.locator('.squiggly-error').first();
  for (let attempt = 1; ; attempt++) {
    await squiggle.waitFor({ state: 'visible' });
    const box = await squiggle.boundingBox();
    if (!box) throw new Error('the error squiggle is not on screen');
    // Like a person: the pointer rests on the underlined text (the squiggle sits under it). If the
    // layout moved meanwhile (a banner, a panel), the pointer missed: move away and point again.
    await page.mouse.move(box.x + box.width / 2, box.y, { steps: 5 });
    try {
      return await hoverText(page, expected, 5_000);
    } catch (error) {
      if (attempt === 3) throw error;
      await page.mouse.move(0, 0);
    }
  }
}

async function screenshot(page: Page, outputDir: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(outputDir, name) });
}

export async function englishChecks(results: Results, browser: Browser, url: string, workspace: string, outputDir: string): Promise<void> {
  const page = await openWorkbench(browser, url);
  try {
    await results.check('[ui en] the workspace opens in Restricted Mode', async () => {
      await page.locator('.statusbar').filter({ hasText: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
    });
    await results.check('[ui en] Problems panel lists the expected rule ids on the expected lines', async () => {
      await quickOpen(page, MAIN_CF);
      await showProblems(page);
      const rows = await waitForProblems(page, MAIN_CF, expectedKeys(workspace, MAIN_CF));
      const messages = (await engineFindings(workspace, MAIN_CF)).map((finding) => finding.message.en);
      for (const row of rows) if (!messages.includes(row.message)) throw new Error(`unexpected message: ${row.message}`);
      if (rows.some((row) => row.source !== 'Secure Config Review')) throw new Error('source is not "Secure Config Review"');
      await screenshot(page, outputDir, 'problems-en.png');
    });
    await results.check('[ui en] hovering 172.0.0.0/8 shows incident-2020h1-21', async () => {
      const text = await hoverOverFirstSquiggle(page, INCIDENT.title.en);
      for (const part of ['postfix/mynetworks-public-range', 'incident-2020h1-21', INCIDENT.countermeasures.en[0]!])
        if (!text.includes(part)) throw new Error(`hover lacks "${part}"`);
      await screenshot(page, outputDir, 'hover-en.png');
      await page.keyboard.press('Escape');
    });
    await results.check('[ui en] the quick fix changes 172.0.0.0/8 to 172.16.0.0/12 in the file', async () => {
      const file = path.join(workspace, MAIN_CF);
      const before = fs.readFileSync(file, 'utf8');
      const finding = expectedFindings(before).find((expected) => expected.ruleId === 'postfix/mynetworks-public-range')!;
      await page.mouse.move(0, 0);
      const title = 'Replace 172.0.0.0/8 with the private block 172.16.0.0/12';
      const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
      // Like a person: if the menu does not come (the editor had not taken the keyboard yet, or the code
      // actions were still being computed), close whatever opened, go to the line again and ask again.
      for (let attempt = 1; ; attempt++) {
        await goTo(page, finding.line + 1, finding.character + 3);
        await page.keyboard.press('Control+.');
        try {
          await item.waitFor({ timeout: 10_000 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.keyboard.press('Escape');
        }
      }
      await screenshot(page, outputDir, 'quick-fix-menu-en.png');
      await item.click();
      await page.keyboard.press('Control+S');
      const expected = before.replace('[::1]/128 172.0.0.0/8', '[::1]/128 172.16.0.0/12');
      const deadline = Date.now() + 15_000;
      while (fs.readFileSync(file, 'utf8') !== expected) {
        if (Date.now() > deadline) throw new Error(`file text after the fix:\n${fs.readFileSync(file, 'utf8')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await waitForProblems(page, MAIN_CF, []);
      await screenshot(page, outputDir, 'quick-fix-applied-en.png');
    });
    await results.check('[ui en] "Audit Workspace" from the palette reports findings in never-opened files', async () => {
      await runCommand(page, 'Secure Config Review: Audit Workspace');
      await page.locator('.notifications-toasts').filter({ hasText: 'Audit finished' }).waitFor({ timeout: 60_000 });
      for (const relative of NEVER_OPENED) await waitForProblems(page, relative, expectedKeys(workspace, relative));
      // Only postfix/main.cf was ever opened: one main.cf tab, no relay-2019.conf tab.
      const tabs = (await openTabs(page)).map((tab) => tab.replace(/\s+/g, ''));
      if (tabs.filter((tab) => tab.startsWith('main.cf')).length !== 1 || tabs.some((tab) => tab.includes('relay-2019.conf')))
        throw new Error(`tabs: ${tabs.join(' | ')}`);
      await screenshot(page, outputDir, 'audit-en.png');
    });
  } finally {
    await page.close();
  }
}

export async function japaneseChecks(results: Results, browser: Browser, url: string, workspace: string, outputDir: string): Promise<void> {
  const page = await openWorkbench(browser, url);
  try {
    await results.check('[ui ja] Problems panel shows the Japanese messages', async () => {
      await quickOpen(page, MAIN_CF);
      await showProblems(page);
      const rows = await waitForProblems(page, MAIN_CF, expectedKeys(workspace, MAIN_CF));
      const messages = (await engineFindings(workspace, MAIN_CF)).map((finding) => finding.message.ja);
      for (const row of rows) if (!messages.includes(row.message)) throw new Error(`not the Japanese message: ${row.message}`);
      await screenshot(page, outputDir, 'problems-ja.png');
    });
    await results.check('[ui ja] the hover shows the incident in Japanese', async () => {
      const text = await hoverOverFirstSquiggle(page, INCIDENT.title.ja);
      for (const part of ['なぜ問題か', INCIDENT.countermeasures.ja[0]!]) if (!text.includes(part)) throw new Error(`hover lacks "${part}"`);
      await screenshot(page, outputDir, 'hover-ja.png');
      await page.keyboard.press('Escape');
    });
    await results.check('[ui ja] the palette lists the Japanese command title and the audit answers in Japanese', async () => {
      await page.mouse.move(0, 0);
      await runCommand(page, 'Secure Config Review: ワークスペースを監査');
      await page.locator('.notifications-toasts').filter({ hasText: '監査が完了しました' }).waitFor({ timeout: 60_000 });
      for (const relative of NEVER_OPENED) await waitForProblems(page, relative, expectedKeys(workspace, relative));
      await screenshot(page, outputDir, 'audit-ja.png');
    });
  } finally {
    await page.close();
  }
}
