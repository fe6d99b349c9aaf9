// A storyhub bot: lists every story through the API, then saves one subtitle track.
// Usage: STORYHUB_URL=https://stories.example.org STORYHUB_TOKEN=shp_… node bot.mjs SLUG LANGUAGE
// The token comes from the account page, with the `subtitle` scope; its owner must be allowed to
// edit that language's subtitles (a translator or reviewer of it, or an editor).
const site = process.env.STORYHUB_URL;
const token = process.env.STORYHUB_TOKEN;
const [slug, language] = process.argv.slice(2);

async function api(path, { method = 'GET', body } = {}) {
  for (;;) {
    const response = await fetch(new URL(path, site), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body && JSON.stringify(body),
    });
    // Over the rate limit: wait as long as the site asks, then try again.
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    const answer = await response.json();
    if (!response.ok) throw new Error(`${response.status} ${answer.error.code}: ${answer.error.message}`);
    return answer;
  }
}

// 1. Every story, a page at a time, following `next` to the end.
let next = '/api/v1/stories?limit=100';
let count = 0;
while (next) {
  const page = await api(next);
  for (const story of page.stories) console.log(`${story.slug}\t${story.languages.join(',')}\t${story.title}`);
  count += page.stories.length;
  next = page.next;
}
console.log(`${count} stories`);

// 2. One subtitle track, saved whole from the revision it was read at (a stale one is refused: 409).
const { track } = await api(`/api/v1/stories/${slug}/subtitles/${language}`);
const saved = await api(`/api/v1/stories/${slug}/subtitles/${language}`, {
  method: 'PUT',
  body: {
    baseRevision: track?.revision ?? 0,
    summary: 'Opening line, from the bot',
    cues: [{ startTime: 0, endTime: 2.5, text: 'Hello' }, ...(track?.cues.slice(1) ?? [])],
  },
});
console.log(`saved ${slug} ${language}: revision ${saved.revision}`);
