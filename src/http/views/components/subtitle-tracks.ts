import type { SubtitleProblem } from '../../../domain/subtitles/index.ts';
import type { TrackProgress } from '../../../services/subtitles.ts';
import type { MediaFile } from '../../../domain/media/media-file.ts';
import { megabytes } from './player.ts';
import { csrfField, formMessage, submitButton } from './form.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

export interface SubtitleSectionData {
  slug: string;
  tracks: TrackProgress[];
  /** Finished burned-in MP4s, labelled by language. */
  exports?: MediaFile[];
  /** What became of a request for a burned-in MP4 (after the redirect). */
  burnIn?: { outcome: 'queued' | 'no_video' | 'no_track'; language: string };
  problems?: SubtitleProblem[];
  uploadedLanguage?: string;
  chosenLanguage?: string;
}

/** The editor's list of subtitle tracks, the upload form, and every problem of a refused file with its line and column. */
export function subtitleSection(context: PageContext, data: SubtitleSectionData): VNode {
  const { t } = context;
  const language = (code: string) => context.languages.find((l) => l.code === code);
  const base = `/edit/stories/${data.slug}/subtitles`;
  return html`<section aria-labelledby="subtitles-heading">
    <h2 id="subtitles-heading">${t('subtitles-heading')}</h2>
    ${data.burnIn ? formMessage(context, data.burnIn.outcome === 'queued' ? 'success' : 'error', `burn-in-${data.burnIn.outcome.replace('_', '-')}`, language(data.burnIn.language)?.autonym ?? data.burnIn.language) : null}
    ${data.uploadedLanguage ? formMessage(context, 'success', 'subtitles-uploaded', language(data.uploadedLanguage)?.autonym ?? data.uploadedLanguage) : null}
    ${
      data.problems?.length
        ? html`<div class="subtitle-problems">
      ${formMessage(context, 'error', 'subtitles-refused', context.formatNumber(data.problems.length), data.problems.length)}
      <ol class="subtitle-problems__list">${data.problems.slice(0, 200).map(
        (problem) => html`<li>
        <span class="subtitle-problems__where">${
          problem.line > 0
            ? t('subtitles-problem-where', context.formatNumber(problem.line), context.formatNumber(problem.column))
            : t('subtitles-problem-cue', context.formatNumber(problem.cue ?? 1))
        }</span>
        ${' '}${t(`subtitle-problem-${problem.code.replace(/_/g, '-')}`)}
        ${problem.severity === 'warning' ? html` <span class="subtitle-problems__warning">${t('subtitles-warning')}</span>` : null}
      </li>`,
      )}</ol>
    </div>`
        : null
    }
    ${
      data.tracks.length
        ? html`<table class="admin-table subtitle-tracks">
      <thead><tr><th scope="col">${t('subtitles-language')}</th><th scope="col">${t('subtitles-cues')}</th><th scope="col">${t('subtitles-progress')}</th>
        <th scope="col">${t('history-revision')}</th><th scope="col">${t('subtitles-status')}</th><th scope="col">${t('subtitles-actions')}</th></tr></thead>
      <tbody>${data.tracks.map((track) => {
        const lang = language(track.language);
        const name = lang?.autonym ?? track.language;
        return html`<tr>
          <td ...${lang ? languageAttributes(lang) : {}}>${name}</td>
          <td>${context.formatNumber(track.cueCount)}</td>
          <td>${t('subtitles-percent', context.formatNumber(track.percent))}${track.sourceChanged ? html`<br /><span class="subtitle-tracks__outdated">${t('subtitles-source-changed')}</span>` : null}</td>
          <td>${context.formatNumber(track.revision)}</td>
          <td>${t(`editor-status-${track.status.replace(/_/g, '-')}`)}${
            track.publishedRevision && track.publishedRevision !== track.revision
              ? html`<br />${t('subtitle-track-published-revision', context.formatNumber(track.publishedRevision))}`
              : null
          }</td>
          <td>
            <a href=${href(context, `${base}/${track.language}/edit`)} aria-label=${t('subtitles-edit-label', name)}>${t('subtitles-edit')}</a>
            ${' · '}<a href=${href(context, `${base}/${track.language}`)} aria-label=${t('subtitles-history-review-label', name)}>${t('subtitles-history-review')}</a>
            ${track.publishedRevision ? html` · <a href=${`/subtitles/${data.slug}/${track.language}.vtt`}>WebVTT</a> · <a href=${`/subtitles/${data.slug}/${track.language}.srt`}>SRT</a>` : null}
            ${burnInCell(context, data, track.language, name)}
          </td>
        </tr>`;
      })}</tbody>
    </table>
    <form class="subtitle-translate" method="get" action=${href(context, `${base}/translate`)}>
      <fieldset>
        <legend>${t('subtitles-translate-heading')}</legend>
        <label>${t('subtitles-translate-from')} <select class="cdx-select" name="from">
          ${data.tracks.map((track) => html`<option value=${track.language}>${language(track.language)?.autonym ?? track.language}</option>`)}
        </select></label>
        <label>${t('subtitles-translate-into')} <select class="cdx-select" name="to">
          ${context.languages.filter((l) => !data.tracks.some((track) => track.language === l.code)).map((l) => html`<option value=${l.code} ...${languageAttributes(l)}>${l.autonym}</option>`)}
        </select></label>
        <button class="cdx-button" type="submit">${t('subtitles-translate-start')}</button>
      </fieldset>
    </form>`
        : html`<p>${t('subtitles-none')}</p>`
    }
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
        <input id="subtitle-file" type="file" name="subtitles" accept=".vtt,.srt,.sbv,.ttml,.dfxp,.xml,.ass,.ssa,text/vtt" required aria-describedby="subtitle-file-help" />
      </div>
      ${submitButton(t('subtitles-upload'))}
    </form>
  </section>`;
}

/** The burned-in MP4 of a track: a button that asks for one, and the download once it is made. */
function burnInCell(context: PageContext, data: SubtitleSectionData, language: string, name: string): VNode {
  const { t } = context;
  const made = data.exports?.find((file) => file.label === language);
  return html`<form class="subtitle-tracks__burn-in" method="post" action=${href(context, `/edit/stories/${data.slug}/subtitles/${language}/burn-in`)}>
    ${csrfField(context)}
    <button class="cdx-button cdx-button--weight-quiet" type="submit" aria-label=${t('burn-in-make-label', name)}>${t('burn-in-make')}</button>
    ${made ? html` <a href=${href(context, `/edit/stories/${data.slug}/exports/${language}.mp4`)} download="">${t('burn-in-download', megabytes(context, made.bytes))}</a>` : null}
  </form>`;
}
