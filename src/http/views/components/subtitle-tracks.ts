import type { SubtitleProblem } from '../../../domain/subtitles/index.ts';
import type { SubtitleTrackSummary } from '../../../store/repositories/subtitles.ts';
import { csrfField, formMessage, submitButton } from './form.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

export interface SubtitleSectionData {
  slug: string; tracks: SubtitleTrackSummary[];
  problems?: SubtitleProblem[]; uploadedLanguage?: string; chosenLanguage?: string;
}

/** The editor's list of subtitle tracks, the upload form, and every problem of a refused file with its line and column. */
export function subtitleSection(context: PageContext, data: SubtitleSectionData): VNode {
  const { t } = context;
  const language = (code: string) => context.languages.find((l) => l.code === code);
  const base = `/edit/stories/${data.slug}/subtitles`;
  return html`<section aria-labelledby="subtitles-heading">
    <h2 id="subtitles-heading">${t('subtitles-heading')}</h2>
    ${data.uploadedLanguage ? formMessage(context, 'success', 'subtitles-uploaded', language(data.uploadedLanguage)?.autonym ?? data.uploadedLanguage) : null}
    ${data.problems?.length ? html`<div class="subtitle-problems">
      ${formMessage(context, 'error', 'subtitles-refused', context.formatNumber(data.problems.length), data.problems.length)}
      <ol class="subtitle-problems__list">${data.problems.slice(0, 200).map((problem) => html`<li>
        <span class="subtitle-problems__where">${t('subtitles-problem-where', context.formatNumber(problem.line), context.formatNumber(problem.column))}</span>
        ${' '}${t(`subtitle-problem-${problem.code.replace(/_/g, '-')}`)}
        ${problem.severity === 'warning' ? html` <span class="subtitle-problems__warning">${t('subtitles-warning')}</span>` : null}
      </li>`)}</ol>
    </div>` : null}
    ${data.tracks.length ? html`<table class="admin-table">
      <thead><tr><th scope="col">${t('subtitles-language')}</th><th scope="col">${t('subtitles-cues')}</th><th scope="col">${t('history-revision')}</th><th scope="col">${t('subtitles-status')}</th><th scope="col">${t('subtitles-download')}</th></tr></thead>
      <tbody>${data.tracks.map((track) => {
        const lang = language(track.language);
        return html`<tr>
          <td ...${lang ? languageAttributes(lang) : {}}>${lang?.autonym ?? track.language}</td>
          <td>${context.formatNumber(track.cueCount)}</td>
          <td>${context.formatNumber(track.revision)}</td>
          <td>
            <form method="post" action=${href(context, `${base}/${track.language}/status`)}>
              ${csrfField(context)}
              <span>${t(track.status === 'published' ? 'story-status-published' : 'story-status-draft')}</span>
              ${track.status === 'published'
                ? html` <button class="cdx-button" type="submit" name="status" value="draft">${t('editor-unpublish')}</button>`
                : html` <button class="cdx-button cdx-button--action-progressive" type="submit" name="status" value="published">${t('editor-publish')}</button>`}
            </form>
          </td>
          <td>${track.status === 'published' ? html`<a href=${`/subtitles/${data.slug}/${track.language}.vtt`}>WebVTT</a> · <a href=${`/subtitles/${data.slug}/${track.language}.srt`}>SRT</a>` : null}</td>
        </tr>`;
      })}</tbody>
    </table>` : html`<p>${t('subtitles-none')}</p>`}
    <form class="narrow-form" method="post" enctype="multipart/form-data"
      action=${href(context, `${base}?_csrf=${encodeURIComponent(context.csrfToken ?? '')}`)}>
      ${csrfField(context)}
      <div class="cdx-field">
        <div class="cdx-label"><label class="cdx-label__label" for="subtitle-language"><span class="cdx-label__label__text">${t('subtitles-language')}</span></label></div>
        <select id="subtitle-language" name="language" class="cdx-select">
          ${context.languages.map((l) => html`<option value=${l.code} selected=${l.code === (data.chosenLanguage ?? context.language.code)} ...${languageAttributes(l)}>${l.autonym}</option>`)}
        </select>
      </div>
      <div class="cdx-field">
        <div class="cdx-label"><label class="cdx-label__label" for="subtitle-file"><span class="cdx-label__label__text">${t('subtitles-file')}</span></label>
          <span id="subtitle-file-help" class="cdx-label__description">${t('subtitles-file-help')}</span></div>
        <input id="subtitle-file" type="file" name="subtitles" accept=".vtt,.srt,text/vtt" required aria-describedby="subtitle-file-help" />
      </div>
      ${submitButton(t('subtitles-upload'))}
    </form>
  </section>`;
}
