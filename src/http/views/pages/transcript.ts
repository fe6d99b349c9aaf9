import type { Cue } from '../../../domain/subtitles/index.ts';
import type { StoryPage } from '../../../services/catalog.ts';
import { transcript } from '../components/transcript.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

/** A story's transcript as its own light page: for reading with no video at all. */
export function transcriptPage(context: PageContext, data: StoryPage, found: { language: string; cues: Cue[] } | null) {
  const { t } = context;
  const title = t('transcript-title', data.text.title);
  return layout(
    context,
    { title },
    html`<div class="transcript-page">
    <h1>${title}</h1>
    <p><a href=${href(context, `/stories/${data.story.slug}`)}>${t('transcript-back')}</a></p>
    ${found ? transcript(context, found) : html`<p>${t('transcript-none')}</p>`}
  </div>`,
  );
}
