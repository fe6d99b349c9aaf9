// Optional: with script, a transcript line seeks the video beside it, and the line being spoken is highlighted.
for (const list of document.querySelectorAll('ol[data-transcript]')) {
  const video = document.getElementById(list.dataset.transcript);
  if (!video) continue;
  const lines = Array.from(list.querySelectorAll('li[data-start]'));
  list.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-start]');
    if (!link) return;
    event.preventDefault();
    video.currentTime = Number(link.dataset.start);
    video.play().catch(() => {});
  });
  video.addEventListener('timeupdate', () => {
    const now = video.currentTime;
    for (const line of lines) {
      const current = now >= Number(line.dataset.start) && now < Number(line.dataset.end);
      line.classList.toggle('transcript__line--current', current);
      if (current) line.setAttribute('aria-current', 'true');
      else line.removeAttribute('aria-current');
    }
  });
}
