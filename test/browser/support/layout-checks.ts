/**
 * Layout checks for narrow screens: whether the page scrolls sideways, and whether the parts of a
 * row that matter (its status, its actions) are fully on screen, i.e. not cut off by the viewport
 * nor hidden inside a scrolling or clipping box (a table scrolled sideways hides its last columns).
 */
import type { Page } from 'playwright-core';

/**
 * How many CSS pixels the page is wider than the screen (0: no horizontal page scroll). Measured
 * against the context's viewport, not window.innerWidth: a mobile browser widens its layout
 * viewport to fit content that overflows, which would hide the very overflow we look for.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  const width = page.viewportSize()!.width;
  return ((await page.evaluate('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)')) as number) - width;
}

/** The page's full height in CSS pixels, as a full-page screenshot would be. */
export async function pageHeight(page: Page): Promise<number> {
  return (await page.evaluate('Math.ceil(document.documentElement.scrollHeight)')) as number;
}

/**
 * For each element matching `rowSelector`, each selector in `parts` that matches nothing inside
 * the row, or matches an element not entirely visible. Returns descriptions of the failures
 * (empty: every row shows every part).
 */
export async function hiddenRowParts(page: Page, rowSelector: string, parts: Record<string, string>): Promise<string[]> {
  const screenWidth = page.viewportSize()!.width;
  // A string, like the other page scripts here: the project's TypeScript has no DOM types.
  return (await page.evaluate(`(() => {
    const screenWidth = ${screenWidth};
    const rowSelector = ${JSON.stringify(rowSelector)};
    const parts = ${JSON.stringify(parts)};
    const visible = (el) => {
      const own = el.getBoundingClientRect();
      if (own.width === 0 || own.height === 0) return false;
      if (own.left < -1 || own.right > screenWidth + 1) return false;
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.display === 'none' || style.visibility === 'hidden') return false;
        if (style.overflowX !== 'visible') {
          const box = a.getBoundingClientRect();
          if (own.left < box.left - 1 || own.right > box.right + 1) return false;
        }
      }
      return true;
    };
    const failures = [];
    document.querySelectorAll(rowSelector).forEach((row, i) => {
      for (const [name, selector] of Object.entries(parts)) {
        const found = [...row.querySelectorAll(selector)];
        const hidden = found.find((el) => !visible(el));
        if (found.length === 0) failures.push('row ' + (i + 1) + ': no ' + name + ' (' + selector + ')');
        else if (hidden) failures.push('row ' + (i + 1) + ': ' + name + ' not fully visible: ' + hidden.outerHTML.slice(0, 120));
      }
    });
    return failures;
  })()`)) as string[];
}
