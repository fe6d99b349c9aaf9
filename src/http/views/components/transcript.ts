import type { Cue } from '../../../domain/subtitles/index.ts';
import { textAttributes } from './story-card.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

/** mm:ss or h:mm:ss, as people read positions in a video. */
export function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// Cue text may carry WebVTT markup (<i>, <v Speaker>, <c.class>): the transcript shows the words only.
export const plainCueText = (text: string) =>
  text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The subtitles as text with timestamps. Each timestamp links to the video at that moment (a media
 * fragment, so it works with no script); with script, a click seeks the player on the page instead.
 */
export function transcript(
  context: PageContext,
  data: { language: string; cues: Cue[]; videoId?: string; videoUrl?: string },
): VNode {
  return html`<ol class="transcript" data-transcript=${data.videoId} ...${textAttributes(context, data.language)}>
    ${data.cues.map(
      (cue) => html`<li class="transcript__line" data-start=${cue.startTime} data-end=${cue.endTime}>
      ${
        data.videoUrl
          ? html`<a class="transcript__time" href=${`${data.videoUrl}#t=${cue.startTime}`} data-start=${cue.startTime} dir="ltr">${clock(cue.startTime)}</a>`
          : html`<span class="transcript__time" dir="ltr">${clock(cue.startTime)}</span>`
      }
      <span class="transcript__text">${plainCueText(cue.text)}</span>
    </li>`,
    )}
  </ol>`;
}
