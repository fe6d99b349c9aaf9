import { DetailedError, Upload, type PreviousUpload } from 'tus-js-client';

// Optional: the video upload form sends its file over the tus resumable-upload protocol, with a
// progress bar, speed and time left, pause and resume. An upload goes on by itself after a dropped
// connection; after a closed tab, choosing the same file again goes on where it stopped (the upload's
// address is kept in localStorage under the file's fingerprint). Without this script the form posts
// the file whole. Every text comes from the page: the form's data-message-* attributes.
// While a job runs the page asks (data-refresh) to be reloaded every few seconds; without script a
// <noscript> refresh does it, and here the reload waits while an upload is in flight or a form is
// being filled in, so it never cuts one off.

const CHUNK_BYTES = 5 * 1024 * 1024;
const SMALLEST_CHUNK = 256 * 1024;
// Retries after a dropped connection: soon at first, then every minute for about an hour.
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, ...Array<number>(60).fill(60_000)];
// Speed is averaged over the last few seconds, so a moment's stall does not swing the estimate.
const SPEED_WINDOW_MS = 5000;

const form = document.querySelector<HTMLFormElement>('form[data-tus-endpoint]');
let uploading = () => false;
if (form && window.localStorage && window.crypto?.subtle) uploading = enhance(form);
if (form?.dataset.refresh) reloadWhileIdle(Number(form.dataset.refresh) * 1000, () => uploading());

/**
 * Reloads the page every `delay` ms, but not while an upload is in flight (or paused), a file is
 * chosen, a field has the focus, or a form was sent the ordinary way (its page is on its way).
 */
function reloadWhileIdle(delay: number, inFlight: () => boolean) {
  let leaving = false;
  // After the forms' own listeners: an upload sent by this script has stopped the ordinary post.
  document.addEventListener('submit', (event) => {
    if (!event.defaultPrevented) leaving = true;
  });
  const busy = () =>
    leaving ||
    inFlight() ||
    [...document.querySelectorAll<HTMLInputElement>('input[type=file]')].some((input) => input.files?.length) ||
    Boolean(document.activeElement?.closest('form select, form input, form textarea'));
  const tick = () => {
    if (busy()) setTimeout(tick, delay);
    else window.location.reload();
  };
  setTimeout(tick, delay);
}

/** Sends the form's file by tus; returns whether an upload is under way (running, paused or retrying). */
function enhance(form: HTMLFormElement): () => boolean {
  const data = form.dataset;
  const input = form.querySelector<HTMLInputElement>('input[type=file]')!;
  const status = form.querySelector<HTMLElement>('[data-upload-status]')!;
  const bar = status.querySelector('progress')!;
  const text = status.querySelector<HTMLElement>('[data-upload-text]')!;
  const toggle = status.querySelector<HTMLButtonElement>('[data-upload-toggle]')!;
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  const lang = document.documentElement.lang || 'en';
  const number = (value: number, options: Intl.NumberFormatOptions = {}) =>
    new Intl.NumberFormat(lang, { maximumFractionDigits: 1, ...options }).format(value);
  const message = (name: string, ...values: string[]) =>
    (data[name] ?? '').replace(/\$(\d)/g, (_, index: string) => values[Number(index) - 1] ?? '');
  const megabytes = (bytes: number) => number(bytes / 1e6, { style: 'unit', unit: 'megabyte' });

  let upload: Upload | null = null;
  let running = false;
  let samples: Array<{ at: number; bytes: number }> = [];
  let sentLine = '';

  const say = (line: string, problem = false) => {
    text.textContent = line;
    text.classList.toggle('video-upload__problem', problem);
  };
  const setRunning = (value: boolean) => {
    running = value;
    toggle.textContent = value ? (data.messagePause ?? '') : (data.messageResume ?? '');
  };

  function showProgress(sent: number, total: number) {
    const now = performance.now();
    samples.push({ at: now, bytes: sent });
    samples = samples.filter((sample) => now - sample.at <= SPEED_WINDOW_MS);
    const first = samples[0]!;
    const seconds = (now - first.at) / 1000;
    const percent = total ? (sent / total) * 100 : 0;
    bar.value = percent;
    sentLine = message(
      'messageProgress',
      megabytes(sent),
      megabytes(total),
      number(percent, { maximumFractionDigits: 0 }),
    );
    // The last bytes are in: the site now checks the file before it answers.
    if (sent === total) return say(message('messageDone'));
    if (seconds < 1 || sent <= first.bytes) return say(sentLine);
    const speed = (sent - first.bytes) / seconds;
    const left = (total - sent) / speed;
    const time =
      left >= 90
        ? number(Math.ceil(left / 60), { style: 'unit', unit: 'minute', unitDisplay: 'long' })
        : number(Math.ceil(left), { style: 'unit', unit: 'second', unitDisplay: 'long' });
    const rate = number(speed / 1e6, { style: 'unit', unit: 'megabyte-per-second' });
    say(`${sentLine} ${message('messageSpeed', rate, time)}`);
  }

  function failed(error: Error | DetailedError) {
    setRunning(false);
    const response = error instanceof DetailedError ? error.originalResponse : null;
    const code = response?.getStatus() ?? 0;
    const body = response?.getBody() ?? '';
    // Refusals end the upload (choose another file); anything else can be resumed.
    if (code === 413 || /too_large/.test(body)) return refused(message('messageTooLarge'));
    if (/not_a_video/.test(body)) return refused(message('messageNotAVideo'));
    if (code === 403 || code === 401) return refused(message('messageForbidden'));
    say(`${sentLine} ${message('messageFailed')}`.trim(), true);
  }
  function refused(line: string) {
    upload = null;
    toggle.hidden = true;
    bar.hidden = true;
    submit.disabled = false;
    say(line, true);
  }

  async function fingerprint(file: File) {
    // The file's own bytes at both ends, its size and name and the story: another file never resumes this upload.
    const ends = await new Blob([file.slice(0, 65536), file.slice(Math.max(0, file.size - 65536))]).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', ends);
    const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    return `storyhub-video:${data.story}:${file.size}:${file.name}:${hex}`;
  }

  form.addEventListener('submit', async (event) => {
    const file = input.files?.[0];
    if (!file) return;
    event.preventDefault();
    submit.disabled = true;
    status.hidden = false;
    toggle.hidden = false;
    bar.hidden = false;
    samples = [];
    sentLine = '';
    upload = new Upload(file, {
      endpoint: data.tusEndpoint!,
      chunkSize: Math.max(SMALLEST_CHUNK, Math.min(CHUNK_BYTES, Math.ceil(file.size / 20))),
      retryDelays: RETRY_DELAYS,
      metadata: { story: data.story!, filename: file.name, filetype: file.type },
      headers: { 'csrf-token': data.csrf! },
      fingerprint: (chosen) => fingerprint(chosen as File),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: showProgress,
      onError: failed,
      onShouldRetry: (error) => {
        const code = error.originalResponse?.getStatus() ?? 0;
        return code === 0 || code === 409 || code === 423 || code >= 500;
      },
      onSuccess: () => window.location.assign(data.done!),
    });
    const previous: PreviousUpload[] = await upload.findPreviousUploads();
    if (previous[0]) {
      upload.resumeFromPreviousUpload(previous[0]);
      say(message('messageResuming'));
    }
    setRunning(true);
    upload.start();
  });

  toggle.addEventListener('click', () => {
    if (!upload) return;
    if (running) {
      void upload.abort();
      setRunning(false);
      say(`${sentLine} ${message('messagePaused')}`.trim());
    } else {
      samples = [];
      setRunning(true);
      upload.start();
    }
  });
  // Back online: an upload that gave up goes on at once.
  window.addEventListener('online', () => {
    if (upload && !running && text.classList.contains('video-upload__problem')) toggle.click();
  });
  return () => upload !== null;
}
