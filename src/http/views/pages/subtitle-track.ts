import type { CueOperation } from '../../../domain/subtitles/diff.ts';
import { formatCueTime } from '../../../domain/subtitles/editing.ts';
import type { SubtitleReview, SubtitleRevision, SubtitleTrack } from '../../../domain/subtitles/track.ts';
import type { LanguageRow } from '../../../domain/languages/languages.ts';
import { changeAuthor, messageWithName, NAME } from '../components/actor.ts';
import { csrfField, formMessage, submitButton } from '../components/form.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';
import { REVIEW_COMMENT_MAX_LENGTH } from '../../../domain/forms/limits.ts';

export interface SubtitleTrackPageData {
  slug: string;
  storyTitle: string;
  language: LanguageRow;
  track: SubtitleTrack;
  revisions: SubtitleRevision[];
  review: SubtitleReview | null;
  canEdit: boolean;
  canReview: boolean;
  /** A message key saying what just happened (after a redirect), or what went wrong. */
  notice?: { type: 'success' | 'error'; key: string; params?: Array<string | number> };
  /** The comment typed, shown again when it was not taken. */
  comment?: string;
}

const statusKey = (status: string) => `editor-status-${status.replace(/_/g, '-')}`;
const decisionKey = (decision: string) => `subtitle-review-${decision.replace(/_/g, '-')}`;

/** A track's status and review (approve, send back with a comment), its revisions, comparison and rollback. No script needed. */
export function subtitleTrackPage(context: PageContext, data: SubtitleTrackPageData): VNode {
  const { t } = context;
  const { track, language } = data;
  const base = `/edit/stories/${data.slug}/subtitles/${language.code}`;
  const title = t('subtitle-track-title', data.storyTitle, language.autonym);
  const newest = data.revisions[0]?.revision ?? track.revision;
  const older = data.revisions[1]?.revision ?? newest;
  return layout(
    context,
    { title, alternates: false, styles: ['/assets/subtitle-editor.css'] },
    html`
    <h1>${title}</h1>
    <p class="subtitle-editor__links">
      ${context.can('story.edit') ? html`<a href=${href(context, `/edit/stories/${data.slug}/video`)}>${t('editor-back-to-video')}</a> · ` : null}
      <a href=${href(context, `${base}/edit`)}>${t('subtitles-edit')}</a>
    </p>
    ${data.notice ? formMessage(context, data.notice.type, data.notice.key, ...(data.notice.params ?? [])) : null}
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">${t('subtitle-track-review-heading')}</h2>
      <p><strong>${t('subtitle-track-status', t(statusKey(track.status)), context.formatNumber(track.revision))}</strong></p>
      <p>${track.publishedRevision ? t('subtitle-track-published-revision', context.formatNumber(track.publishedRevision)) : t('subtitle-track-not-published')}</p>
      ${
        data.review
          ? html`<div class="subtitle-review">
        <p>${
          data.review.userName === null
            ? t(
                'subtitle-track-last-review',
                t(decisionKey(data.review.decision)),
                t('history-system'),
                context.formatNumber(data.review.revision),
              )
            : messageWithName(
                context,
                'subtitle-track-last-review',
                { name: data.review.userName, bot: data.review.bot },
                t(decisionKey(data.review.decision)),
                NAME,
                context.formatNumber(data.review.revision),
              )
        }
          ${' '}<time datetime=${data.review.at.toISOString()}>${context.formatDate(data.review.at)}</time></p>
        ${data.review.comment ? html`<blockquote class="subtitle-review__comment">${data.review.comment}</blockquote>` : null}
        ${data.review.revision < track.revision ? html`<p><a href=${href(context, `${base}/diff?from=${data.review.revision}&to=${track.revision}`)}>${t('subtitle-track-since-review', context.formatNumber(data.review.revision))}</a></p>` : null}
      </div>`
          : null
      }
      ${
        data.canEdit || data.canReview
          ? html`<form class="narrow-form" method="post" action=${href(context, `${base}/review`)}>
        ${csrfField(context)}
        <input type="hidden" name="revision" value=${String(track.revision)} />
        ${
          data.canReview
            ? html`<div class="cdx-field">
          <div class="cdx-label"><label class="cdx-label__label" for="review-comment"><span class="cdx-label__label__text">${t('subtitle-track-comment')}</span></label></div>
          <div class="cdx-text-area"><textarea id="review-comment" class="cdx-text-area__textarea" name="comment" maxlength=${REVIEW_COMMENT_MAX_LENGTH} rows="3">${data.comment ?? ''}</textarea></div>
        </div>`
            : null
        }
        <p class="subtitle-review__actions">
          ${data.canEdit && track.status === 'draft' ? submitButton(t('subtitle-track-submit'), 'decision', 'submitted') : null}
          ${data.canReview && track.status !== 'published' ? html` ${submitButton(t('subtitle-track-approve'), 'decision', 'approved')}` : null}
          ${data.canReview && track.status === 'in_review' ? html` <button class="cdx-button cdx-button--action-destructive" type="submit" name="decision" value="sent_back">${t('subtitle-track-send-back')}</button>` : null}
        </p>
      </form>`
          : null
      }
    </section>
    <section aria-labelledby="revisions-heading">
      <h2 id="revisions-heading">${t('subtitle-track-history')}</h2>
      ${
        data.revisions.length > 1
          ? html`<form class="subtitle-compare" method="get" action=${href(context, `${base}/diff`)}>
        <label>${t('subtitle-track-compare-from')} ${revisionSelect(context, 'from', data.revisions, older)}</label>
        <label>${t('subtitle-track-compare-to')} ${revisionSelect(context, 'to', data.revisions, newest)}</label>
        <button class="cdx-button" type="submit">${t('subtitle-track-compare-button')}</button>
      </form>`
          : null
      }
      <table class="cdx-table__table history-table">
        <thead><tr><th scope="col">${t('history-revision')}</th><th scope="col">${t('history-when')}</th><th scope="col">${t('history-who')}</th>
          <th scope="col">${t('subtitle-track-changed')}</th><th scope="col">${t('history-what')}</th>${data.canEdit ? html`<th scope="col"><span class="visually-hidden">${t('subtitle-track-rollback')}</span></th>` : null}</tr></thead>
        <tbody>${data.revisions.map(
          (revision) => html`<tr>
          <td>${context.formatNumber(revision.revision)}</td>
          <td><time datetime=${revision.createdAt.toISOString()}>${context.formatDate(revision.createdAt)}</time></td>
          <td>${changeAuthor(context, { name: revision.userName, bot: revision.bot, viaToken: revision.viaToken })}</td>
          <td>${context.formatNumber(revision.changedCues)}</td>
          <td><bdi>${revision.summary}</bdi></td>
          ${
            data.canEdit
              ? html`<td>${
                  revision.revision === track.revision
                    ? null
                    : html`<form method="post" action=${href(context, `${base}/rollback`)}>
            ${csrfField(context)}<input type="hidden" name="revision" value=${String(revision.revision)} />
            <button class="cdx-button" type="submit" aria-label=${t('subtitle-track-rollback-label', context.formatNumber(revision.revision))}>${t('subtitle-track-rollback')}</button>
          </form>`
                }</td>`
              : null
          }
        </tr>`,
        )}</tbody>
      </table>
    </section>`,
  );
}

function revisionSelect(context: PageContext, name: string, revisions: SubtitleRevision[], selected: number): VNode {
  return html`<select class="cdx-select" name=${name}>${revisions.map((revision) => html`<option value=${String(revision.revision)} selected=${revision.revision === selected}>${context.formatNumber(revision.revision)}</option>`)}</select>`;
}

/** The cue-by-cue difference between two revisions: only what changed, marked in words as well as colour. */
export function subtitleDiffPage(
  context: PageContext,
  data: {
    slug: string;
    storyTitle: string;
    language: LanguageRow;
    from: number;
    to: number;
    operations: CueOperation[];
  },
): VNode {
  const { t } = context;
  const title = t('subtitle-diff-title', context.formatNumber(data.from), context.formatNumber(data.to));
  const changes = data.operations.filter((operation) => operation.kind !== 'same');
  const cueCell = (cue: CueOperation['before']) =>
    cue
      ? html`<span class="subtitle-diff__time" dir="ltr">${formatCueTime(cue.startTime)} → ${formatCueTime(cue.endTime)}</span>
    <span class="subtitle-diff__text" ...${languageAttributes(data.language)}>${cue.text}</span>`
      : null;
  return layout(
    context,
    { title, alternates: false, styles: ['/assets/subtitle-editor.css'] },
    html`
    <h1>${title}</h1>
    <p><a href=${href(context, `/edit/stories/${data.slug}/subtitles/${data.language.code}`)}>${t('subtitle-track-title', data.storyTitle, data.language.autonym)}</a></p>
    ${
      changes.length === 0
        ? html`<p>${t('subtitle-diff-none')}</p>`
        : html`<table class="cdx-table__table subtitle-diff">
      <thead><tr><th scope="col">${t('subtitle-diff-change')}</th><th scope="col">${t('subtitle-diff-revision', context.formatNumber(data.from))}</th><th scope="col">${t('subtitle-diff-revision', context.formatNumber(data.to))}</th></tr></thead>
      <tbody>${changes.slice(0, 2000).map(
        (operation) => html`<tr class=${`subtitle-diff__${operation.kind}`}>
        <th scope="row">${t(`subtitle-diff-${operation.kind}`)}</th>
        <td class="subtitle-diff__before">${cueCell(operation.before)}</td>
        <td class="subtitle-diff__after">${cueCell(operation.after)}</td>
      </tr>`,
      )}</tbody>
    </table>`
    }
    <p>${t('subtitle-diff-unchanged', context.formatNumber(data.operations.length - changes.length))}</p>`,
  );
}
