// Every relative link in README.md and docs/*.md names a file that exists, and every #anchor names a
// heading of that file as GitHub spells it, so moving a section never leaves a dead link behind.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DOCS = join(ROOT, 'docs');
const PAGES = [
  join(ROOT, 'README.md'),
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f)),
];

/** The page's lines outside fenced code, with inline code blanked: a link in code is not a link. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (line.trimStart().startsWith('```')) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`\n]*`/g, '');
  });
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a page; a repeated heading gets -1, -2… as on GitHub. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trimStart().startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  page: string;
  line: number;
  target: string;
}

function linksOf(page: string): Link[] {
  const links: Link[] = [];
  proseLines(readFileSync(page, 'utf8')).forEach((text, i) => {
    for (const m of text.matchAll(/\]\(([^()\s]+)\)/g)) {
      links.push({ page: relative(ROOT, page), line: i + 1, target: m[1]! });
    }
  });
  return links;
}

/** Why a link is dead, or null when it resolves. Links with a scheme (https:, mailto:) are not checked. */
function deadBecause(link: Link): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return null;
  const [path, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? join(ROOT, link.page) : resolve(dirname(join(ROOT, link.page)), path);
  if (!file.startsWith(ROOT + '/')) return 'points outside the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined) return null;
  if (statSync(file).isDirectory() || !file.endsWith('.md'))
    return 'an anchor in a file that is not Markdown';
  return anchorsOf(file).has(anchor) ? null : `no heading #${anchor} in ${relative(ROOT, file)}`;
}

describe('links in README.md and docs/', () => {
  it('spells anchors as GitHub does', () => {
    expect(headingAnchor('The CLI: `intake`')).toBe('the-cli-intake');
    expect(headingAnchor('Existing records: skip, update, fill, and undo')).toBe(
      'existing-records-skip-update-fill-and-undo',
    );
    expect(headingAnchor('1. Create the Slack app')).toBe('1-create-the-slack-app');
    expect(headingAnchor('The whole user path, (f)')).toBe('the-whole-user-path-f');
  });

  it('finds the pages and their links', () => {
    expect(PAGES.length).toBeGreaterThan(5);
    expect(PAGES.flatMap(linksOf).length).toBeGreaterThan(20);
  });

  it('every relative link and #anchor resolves', () => {
    const dead = PAGES.flatMap(linksOf)
      .map((link) => ({ link, why: deadBecause(link) }))
      .filter((d) => d.why !== null)
      .map((d) => `${d.link.page}:${d.link.line} (${d.link.target}): ${d.why}`);
    expect(dead).toEqual([]);
  });
});
