import type { EditorBoot } from '../../../web/editor/boot.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { messageWithName, NAME } from '../components/actor.ts';

export interface SubtitleEditorPageData {
  slug: string;
  script: string;
  storyTitle: string;
  languageName: string;
  sourceName: string | null;
  boot: EditorBoot;
}

/**
 * The subtitle editor: a Vue island mounted on one element that carries its data as JSON in an
 * attribute (escaped like any attribute, so cue text can never close the element or run). Without
 * script the page says so and points to the file upload, which works without it.
 */
export function subtitleEditorPage(context: PageContext, data: SubtitleEditorPageData) {
  const { t } = context;
  const title = data.sourceName
    ? t('editor-title-translate', data.storyTitle, data.sourceName, data.languageName)
    : t('editor-title', data.storyTitle, data.languageName);
  return layout(
    context,
    { title, alternates: false, modules: [data.script], styles: ['/assets/subtitle-editor.css'] },
    html`
    <h1>${title}</h1>
    <p class="subtitle-editor__links">
      ${context.can('story.edit') ? html`<a href=${href(context, `/edit/stories/${data.slug}/video`)}>${t('editor-back-to-video')}</a>${' · '}` : null}
      <a href=${href(context, `/edit/stories/${data.slug}/subtitles/${data.boot.language.code}`)}>${t('editor-history-and-review')}</a>
    </p>
    ${
      data.boot.review?.comment
        ? html`<div class="cdx-message cdx-message--block cdx-message--warning subtitle-editor__review">
      <span class="cdx-message__icon"></span>
      <div class="cdx-message__content">
        <p>${messageWithName(context, 'editor-review-comment', { name: data.boot.review.userName, bot: data.boot.review.bot }, NAME)}</p>
        <blockquote>${data.boot.review.comment}</blockquote>
      </div>
    </div>`
        : null
    }
    <div id="subtitle-editor" class="subtitle-editor-root" data-editor=${JSON.stringify(data.boot)}>
      <p class="subtitle-editor__needs-script">${t('editor-needs-script')}</p>
    </div>
  `,
  );
}
