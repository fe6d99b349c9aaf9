import type { MediaFile } from '../../../domain/media/media-file.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

const mediaUrl = (file: MediaFile) => `/media/${file.storageKey}`;

/** A size in megabytes with one decimal, never shown as zero. */
export const megabytes = (context: PageContext, bytes: number) =>
  context.formatNumber(Math.max(0.1, Math.round((bytes / 1024 ** 2) * 10) / 10));
// The order browsers try sources in: a 360p first (good on phones), then the others, smallest last.
const PREFERENCE = ['360p-webm', '360p-mp4', '720p-webm', '240p-webm'];
// Saving data: the smallest first.
const SAVING = ['240p-webm', '360p-mp4', '360p-webm', '720p-webm'];
const rank = (file: MediaFile, saveData = false) => {
  const order = saveData ? SAVING : PREFERENCE;
  const index = order.indexOf(file.label);
  return index < 0 ? order.length : index;
};

/** The story's video with its poster and every rendition, plus plain links that work without any script. */
export function player(context: PageContext, files: MediaFile[], tracks: VNode[] = []): VNode | null {
  const { t } = context;
  const renditions = files
    .filter((file) => file.role === 'rendition')
    .sort((a, b) => rank(a, context.saveData) - rank(b, context.saveData));
  if (renditions.length === 0) return null;
  // The widest card thumbnail (WebP, about the player's own width) is a fraction of the JPEG poster's weight.
  const poster =
    files.filter((file) => file.role === 'thumbnail' && file.width !== null).sort((a, b) => b.width! - a.width!)[0] ??
    files.find((file) => file.role === 'poster');
  const audio = files.find((file) => file.role === 'audio');
  const size = (file: MediaFile) => t('video-megabytes', megabytes(context, file.bytes));
  const first = renditions[0]!;
  const links = [...renditions]
    .sort((a, b) => (a.height ?? 0) - (b.height ?? 0))
    .map(
      (file) => html`<li>
    <a href=${mediaUrl(file)} type=${file.mime} download="">${t('video-version', `${file.height}p ${file.mime === 'video/mp4' ? 'MP4' : 'WebM'}`, size(file))}</a>
  </li>`,
    );
  return html`<figure class="story-video">
    <video id="story-video" class="story-video__player" controls preload="none" playsinline="" poster=${poster ? mediaUrl(poster) : undefined}
      width=${first.width ?? undefined} height=${first.height ?? undefined}>
      ${renditions.map((file) => html`<source src=${mediaUrl(file)} type=${file.mime} />`)}
      ${tracks}
      <p>${t('video-no-player')}</p>
    </video>
    <figcaption>
      <p class="story-video__save-data">
        ${context.saveData ? html`<span>${t('video-saving-data')}</span> ` : null}
        <a href=${`/save-data?on=${context.saveData ? 0 : 1}&to=${encodeURIComponent(`/${context.language.code}${context.path}`)}`}>${t(context.saveData ? 'video-save-data-off' : 'video-save-data-on')}</a>
        ${context.saveData && audio ? html` · <a href=${mediaUrl(audio)} type=${audio.mime}>${t('video-audio-only', size(audio))}</a>` : null}
      </p>
      <details class="story-video__versions">
        <summary>${t('video-versions')}</summary>
        <ul>
          ${links}
          ${audio ? html`<li><a href=${mediaUrl(audio)} type=${audio.mime} download="">${t('video-audio-only', size(audio))}</a></li>` : null}
        </ul>
      </details>
    </figcaption>
  </figure>`;
}

/** The renditions in the order browsers should try them, with their addresses. */
export function orderedRenditions(files: MediaFile[], saveData = false): { src: string; type: string }[] {
  return files
    .filter((file) => file.role === 'rendition')
    .sort((a, b) => rank(a, saveData) - rank(b, saveData))
    .map((file) => ({ src: mediaUrl(file), type: file.mime }));
}

/** The address of the rendition browsers play first (for transcript links that open the video at a time). */
export function firstRenditionUrl(files: MediaFile[], saveData = false): string | undefined {
  return orderedRenditions(files, saveData)[0]?.src;
}

/** The address of the poster, if the video has one. */
export function posterUrl(files: MediaFile[]): string | null {
  const poster = files.find((file) => file.role === 'poster');
  return poster ? mediaUrl(poster) : null;
}
