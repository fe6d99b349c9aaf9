import type { MediaFile } from '../../../store/repositories/media.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

const mediaUrl = (file: MediaFile) => `/media/${file.storageKey}`;
// The order browsers try sources in: a 360p first (good on phones), then the others, smallest last.
const PREFERENCE = ['360p-webm', '360p-mp4', '720p-webm', '240p-webm'];
const rank = (file: MediaFile) => {
  const index = PREFERENCE.indexOf(file.label);
  return index < 0 ? PREFERENCE.length : index;
};

/** The story's video with its poster and every rendition, plus plain links that work without any script. */
export function player(context: PageContext, files: MediaFile[], tracks: VNode[] = []): VNode | null {
  const { t } = context;
  const renditions = files.filter((file) => file.role === 'rendition').sort((a, b) => rank(a) - rank(b));
  if (renditions.length === 0) return null;
  const poster = files.find((file) => file.role === 'poster');
  const audio = files.find((file) => file.role === 'audio');
  const size = (file: MediaFile) => t('video-megabytes', context.formatNumber(Math.round((file.bytes / 1024 ** 2) * 10) / 10));
  const first = renditions[0]!;
  const links = [...renditions].sort((a, b) => (a.height ?? 0) - (b.height ?? 0)).map((file) => html`<li>
    <a href=${mediaUrl(file)} type=${file.mime} download="">${t('video-version', `${file.height}p ${file.mime === 'video/mp4' ? 'MP4' : 'WebM'}`, size(file))}</a>
  </li>`);
  return html`<figure class="story-video">
    <video id="story-video" class="story-video__player" controls preload="none" playsinline="" poster=${poster ? mediaUrl(poster) : undefined}
      width=${first.width ?? undefined} height=${first.height ?? undefined}>
      ${renditions.map((file) => html`<source src=${mediaUrl(file)} type=${file.mime} />`)}
      ${tracks}
      <p>${t('video-no-player')}</p>
    </video>
    <figcaption>
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

/** The address of the rendition browsers play first (for transcript links that open the video at a time). */
export function firstRenditionUrl(files: MediaFile[]): string | undefined {
  const first = files.filter((file) => file.role === 'rendition').sort((a, b) => rank(a) - rank(b))[0];
  return first && mediaUrl(first);
}
