import type { Job } from '../../../domain/jobs/job.ts';
import type { MediaFile } from '../../../domain/media/media-file.ts';
import type { StoryRecord } from '../../../domain/stories/story.ts';
import { csrfField, formMessage, submitButton } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';
import { megabytes } from '../components/player.ts';
import { subtitleSection, type SubtitleSectionData } from '../components/subtitle-tracks.ts';

export interface VideoPageData {
  story: StoryRecord;
  jobs: Job[];
  files: MediaFile[];
  maxUploadBytes: number;
  error?: string;
  uploaded?: boolean;
  subtitles: SubtitleSectionData;
  /** Where resumable (tus) uploads go and the optional script that sends them. */
  resumable?: { endpoint: string; script: string };
}

/** How often the page reloads itself while a job is queued or running. */
const REFRESH_SECONDS = 3;

/**
 * What the upload script (`data.script`, optional) reads from the form: where tus uploads go, the
 * story, the CSRF token, where to go when done, how often to reload the page while a job runs (it
 * does so only while no upload is in flight), and its texts (with $1… left for it to fill in).
 */
function resumableUpload(context: PageContext, data: VideoPageData, busy: boolean): Record<string, string> {
  const { t } = context;
  if (!data.resumable) return {};
  const limit = megabytes(context, data.maxUploadBytes);
  return {
    ...(busy && { 'data-refresh': String(REFRESH_SECONDS) }),
    'data-tus-endpoint': data.resumable.endpoint,
    'data-story': data.story.slug,
    'data-csrf': context.csrfToken ?? '',
    'data-done': href(context, `/edit/stories/${data.story.slug}/video?uploaded=1`),
    'data-message-progress': t('video-upload-progress', '$1', '$2', '$3'),
    'data-message-speed': t('video-upload-speed', '$1', '$2'),
    'data-message-pause': t('video-upload-pause'),
    'data-message-resume': t('video-upload-resume'),
    'data-message-paused': t('video-upload-paused'),
    'data-message-resuming': t('video-upload-resuming'),
    'data-message-failed': t('video-upload-failed'),
    'data-message-forbidden': t('video-upload-forbidden'),
    'data-message-done': t('video-upload-done'),
    'data-message-too-large': t('video-error-too-large', limit),
    'data-message-not-a-video': t('video-error-not-a-video'),
  };
}

/**
 * Where an editor uploads a story's video and watches it being processed. While a job runs the page
 * reloads itself: without script by a refresh inside <noscript> (a Refresh header, which no script
 * can cancel, would cut off a resumable upload), with script by the upload script between uploads.
 */
export function videoPage(context: PageContext, data: VideoPageData): VNode {
  const { t } = context;
  const { story } = data;
  const title = t('video-title', story.texts[story.sourceLanguage]?.title ?? story.slug);
  const busy = data.jobs.some((job) => job.state === 'queued' || job.state === 'running');
  return layout(
    context,
    {
      title,
      alternates: false,
      scripts: data.resumable ? [data.resumable.script] : [],
      head: busy ? html`<noscript><meta http-equiv="refresh" content=${String(REFRESH_SECONDS)} /></noscript>` : null,
    },
    html`
    <h1>${title}</h1>
    <p><a href=${href(context, `/edit/stories/${story.slug}`)}>${t('history-back')}</a></p>
    ${data.uploaded ? formMessage(context, 'success', 'video-uploaded') : null}
    ${data.error ? formMessage(context, 'error', data.error, megabytes(context, data.maxUploadBytes)) : null}
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">${t('video-upload-heading')}</h2>
      <form class="narrow-form video-upload" method="post" enctype="multipart/form-data"
        action=${href(context, `/edit/stories/${story.slug}/video?_csrf=${encodeURIComponent(context.csrfToken ?? '')}`)}
        ...${resumableUpload(context, data, busy)}>
        ${csrfField(context)}
        <div class="cdx-field">
          <div class="cdx-label"><label class="cdx-label__label" for="video-file"><span class="cdx-label__label__text">${t('video-file-label')}</span></label>
            <span id="video-file-help" class="cdx-label__description">${t('video-file-help', megabytes(context, data.maxUploadBytes))}</span></div>
          <input id="video-file" type="file" name="video" accept="video/*" required aria-describedby="video-file-help" />
        </div>
        ${submitButton(t('video-upload'))}
        <div class="video-upload__status" data-upload-status hidden>
          <progress max="100" value="0" aria-label=${t('video-upload-progress-label')}></progress>
          <p data-upload-text aria-live="polite"></p>
          <button type="button" class="cdx-button" data-upload-toggle>${t('video-upload-pause')}</button>
        </div>
      </form>
    </section>
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">${t('video-jobs-heading')}</h2>
      ${
        data.jobs.length === 0
          ? html`<p>${t('video-no-jobs')}</p>`
          : html`<ul class="job-list">
        ${data.jobs.map(
          (job) => html`<li class=${`job job--${job.state}`}>
          <span class="job__kind">${t(`video-job-kind-${job.kind}`)}${job.kind === 'burn-in' ? ` (${(job.payload as { language?: string }).language ?? ''})` : ''}</span>
          <span class="job__state">${t(`video-job-${job.state}`)}</span>
          <time datetime=${job.createdAt.toISOString()}>${context.formatDate(job.createdAt)}</time>
          ${
            job.state === 'running' || job.state === 'queued'
              ? html`<progress max="100" value=${job.progress} aria-label=${t('video-progress')}>${context.formatNumber(job.progress)}%</progress>
            <span>${t('video-percent', context.formatNumber(job.progress))}</span>`
              : null
          }
          ${job.error ? html`<p class="job__error">${t('video-job-error', job.error)}</p>` : null}
          ${
            job.state === 'failed'
              ? html`<form method="post" action=${href(context, `/edit/stories/${story.slug}/video/jobs/${job.id}/retry`)}>
            ${csrfField(context)}<button class="cdx-button" type="submit">${t('video-retry')}</button></form>`
              : null
          }
        </li>`,
        )}
      </ul>`
      }
      ${busy ? html`<p><a href=${href(context, `/edit/stories/${story.slug}/video`)}>${t('video-refresh')}</a></p>` : null}
    </section>
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">${t('video-files-heading')}</h2>
      ${
        data.files.length === 0
          ? html`<p>${t('video-no-files')}</p>`
          : html`<table class="admin-table">
        <thead><tr><th scope="col">${t('video-file-kind')}</th><th scope="col">${t('video-file-size')}</th><th scope="col">${t('video-file-dimensions')}</th></tr></thead>
        <tbody>${data.files
          .filter((file) => file.role !== 'export')
          .map(
            (file) => html`<tr>
          <td>${file.label || t(`video-role-${file.role}`)}</td>
          <td>${t('video-megabytes', megabytes(context, file.bytes))}</td>
          <td>${file.width && file.height ? `${context.formatNumber(file.width)} × ${context.formatNumber(file.height)}` : ''}</td>
        </tr>`,
          )}</tbody>
      </table>`
      }
    </section>
    ${subtitleSection(context, data.subtitles)}`,
  );
}
