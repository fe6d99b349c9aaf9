import type { StoryRecord, StoryRevision } from '../../../domain/stories/story.ts';
import { changeAuthor } from '../components/actor.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export function historyPage(context: PageContext, data: { story: StoryRecord; revisions: StoryRevision[] }) {
  const { t } = context;
  const title = t('history-title', data.story.texts[data.story.sourceLanguage]?.title ?? data.story.slug);
  return layout(
    context,
    { title, alternates: false },
    html`
    <h1>${title}</h1>
    <p><a href=${href(context, `/edit/stories/${data.story.slug}`)}>${t('history-back')}</a></p>
    <table class="cdx-table__table history-table">
      <thead><tr><th scope="col">${t('history-revision')}</th><th scope="col">${t('history-when')}</th><th scope="col">${t('history-who')}</th><th scope="col">${t('history-what')}</th></tr></thead>
      <tbody>${data.revisions.map(
        (revision) => html`<tr>
        <td>${context.formatNumber(revision.revision)}</td>
        <td><time datetime=${revision.createdAt.toISOString()}>${context.formatDate(revision.createdAt)}</time></td>
        <td>${changeAuthor(context, { name: revision.username, bot: revision.bot, viaToken: null })}</td>
        <td>${revision.summary}</td>
      </tr>`,
      )}</tbody>
    </table>`,
  );
}
