import { execFileSync } from 'node:child_process';
import { startWorker } from '../../src/jobs/worker.ts';
import type { Services } from '../../src/services/index.ts';

/** The generated clip's frame rate, length and cuts: three solid-colour shots of known lengths. */
export const SHOT_CLIP = { fps: 25, seconds: 6, cuts: [2, 3.6] } as const;

/** Writes the three-shot clip (black 2 s, white 1.6 s, blue-grey 2.4 s, 320×180), with a 440 Hz tone unless `silent`. */
export function threeShotClip(file: string, silent = false): string {
  const shot = (colour: string, seconds: number) => [
    '-f',
    'lavfi',
    '-i',
    `color=${colour}:size=320x180:rate=${SHOT_CLIP.fps}:duration=${seconds}`,
  ];
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...shot('black', 2),
    ...shot('white', 1.6),
    ...shot('0x406080', 2.4),
    ...(silent ? [] : ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${SHOT_CLIP.seconds}`]),
    '-filter_complex',
    '[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]',
    '-map',
    '[v]',
    ...(silent ? [] : ['-map', '3:a', '-c:a', 'aac']),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return file;
}

/** Runs the video jobs of these stories with a job worker until each has finished (done or failed). */
export async function processVideoJobs(services: Services, storyIds: readonly number[]): Promise<void> {
  const worker = startWorker({ jobs: services.repositories.jobs, handlers: services.video.handlers, pollMs: 50 });
  const deadline = Date.now() + 180_000;
  const finished = async (id: number) =>
    (await services.video.jobs(id)).every((job) => job.state === 'done' || job.state === 'failed');
  try {
    for (const id of storyIds)
      while (Date.now() < deadline && !(await finished(id))) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await worker.stop();
  }
}
