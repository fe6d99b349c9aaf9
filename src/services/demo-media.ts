import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultCueSettings, type Cue } from '../domain/subtitles/index.ts';
import type { Services } from './index.ts';

const run = promisify(execFile);
export const DEMO_SUBTITLES = new URL('../../demo/subtitles.json', import.meta.url);
const COLOURS = ['0x1f4e79', '0x7a3b00', '0x14532d', '0x4c1d95', '0x7f1d1d', '0x134e4a', '0x3f3f46'];
const PART_SECONDS = 3;

/** The demo video: a nine-second clip showing 1, 2 and 3 in turn over a tone, made with ffmpeg. */
async function makeClip(file: string, colour: string): Promise<void> {
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=${colour}:s=640x360:r=25:d=${PART_SECONDS * 3}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=330:duration=${PART_SECONDS * 3}`,
    '-vf',
    `drawtext=text='%{eif\\:floor(t/${PART_SECONDS})+1\\:d}':fontsize=160:fontcolor=white:x=(w-tw)/2:y=(h-th)/2`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    file,
  ]);
}

/** Cues that say which number is on screen, then the story's title, in one language. */
export function demoCues(partLabel: string, title: string): Cue[] {
  return [1, 2, 3].map((part) => ({
    id: String(part),
    startTime: (part - 1) * PART_SECONDS,
    endTime: part * PART_SECONDS,
    text: `${partLabel.replace('$1', String(part))}\n${title}`,
    settings: defaultCueSettings(),
  }));
}

/**
 * Gives each demo story a short video (queued for processing like any upload) and published subtitle
 * tracks in the languages of demo/subtitles.json. Skipped, with a note, when ffmpeg is missing.
 */
export async function seedDemoMedia(services: Services): Promise<{ videos: number; note?: string }> {
  try {
    await run('ffmpeg', ['-version']);
  } catch {
    return { videos: 0, note: 'ffmpeg is not installed, so the demo stories have no video (apt-get install ffmpeg)' };
  }
  const { parts } = JSON.parse(readFileSync(DEMO_SUBTITLES, 'utf8')) as { parts: Record<string, string> };
  const { stories } = services.repositories;
  const { stories: list } = await stories.list({ publishedOnly: true, limit: 100 });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-demo-'));
  try {
    for (const [index, summary] of list.entries()) {
      const story = (await stories.findById(summary.id))!;
      const clip = path.join(scratch, `${story.slug}.mp4`);
      await makeClip(clip, COLOURS[index % COLOURS.length]!);
      await services.video.upload(story.id, createReadStream(clip), 'demo.mp4');
      for (const [language, label] of Object.entries(parts)) {
        const title = (story.texts[language] ?? story.texts[story.sourceLanguage])!.title;
        const cues = demoCues(label, title);
        await services.repositories.subtitles.save({
          storyId: story.id,
          language,
          cues,
          userId: null,
          summary: 'demo',
          changedCues: cues.length,
        });
        await services.subtitles.publishCurrent(story.id, language);
      }
    }
    return { videos: list.length };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
