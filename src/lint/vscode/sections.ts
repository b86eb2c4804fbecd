/**
 * Splits docs/lint-rules.md into its rule sections: `## rule-id` headings, each followed by
 * the explanation the hover shows. Pure, so the docs and the hover cannot drift apart unseen.
 */
export function ruleSections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  let id: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (id) {
      out.set(id, body.join('\n').trim());
    }
  };
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^##\s+([a-z][a-z-]*)\s*$/.exec(line);
    if (m) {
      flush();
      id = m[1];
      body = [];
    } else if (/^#{1,2}\s/.test(line)) {
      flush();
      id = undefined;
    } else if (id) {
      body.push(line);
    }
  }
  flush();
  return out;
}

/**
 * The name of the translated rule docs for a UI language (`lint-rules.zh-cn.md` for 'zh-cn'),
 * or undefined for English and anything that is not a plain locale id (it becomes a file name).
 */
export function localizedDocsName(language: string): string | undefined {
  const lang = language.toLowerCase();
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(lang) && !/^en(-|$)/.test(lang) ? `lint-rules.${lang}.md` : undefined;
}
