// playwright-core lives in the tools cache, not in package.json, so it is loaded by path at run time
// and typed here by the few calls the UI checks make.
import * as path from 'node:path';
import { CHROMIUM, TOOLS } from '../tools';

export interface Locator {
  first(): Locator;
  nth(index: number): Locator;
  filter(options: { hasText?: string | RegExp }): Locator;
  locator(selector: string): Locator;
  click(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  hover(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  innerText(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
}

export interface Page {
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  locator(selector: string): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void>; insertText(text: string): Promise<void> };
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  /** Runs a function body (as a string, so no DOM types are needed here) in the page. */
  evaluate<T>(expression: string): Promise<T>;
  waitForFunction(source: string, arg?: unknown, options?: { timeout?: number; polling?: number | 'raf' }): Promise<unknown>;
  on(event: 'console' | 'pageerror', listener: (message: { type?(): string; text?(): string; message?: string }) => void): void;
  close(): Promise<void>;
}

export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<Page>;
  close(): Promise<void>;
}

interface Playwright {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
export async function launchChromium(): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- installed on demand into the tools cache, never in package.json
  const playwright = require(path.join(TOOLS, 'node_modules', 'playwright-core')) as Playwright;
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
