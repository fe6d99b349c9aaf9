// Optional: results follow the words as they are typed. The form keeps working without this script
// (a plain GET); with it, the same page is fetched for what the form holds and its results are
// swapped in, and the address follows, so Back and a shared link give the same results.
for (const form of document.querySelectorAll('form[data-live-search]')) {
  const results = document.getElementById(form.dataset.liveSearch);
  if (!results || !window.fetch || !window.DOMParser) continue;
  let pending = null;
  let timer = 0;
  let shown = new URLSearchParams(new FormData(form)).toString();

  const update = async () => {
    const params = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...params]) if (!value) params.delete(name);
    const query = params.toString();
    if (query === shown) return;
    shown = query;
    pending?.abort();
    pending = new AbortController();
    const url = `${form.action}${query ? `?${query}` : ''}`;
    try {
      const response = await fetch(url, { signal: pending.signal, headers: { accept: 'text/html' } });
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.getElementById(results.id);
      if (!fresh) return;
      results.replaceChildren(...fresh.childNodes);
      document.title = page.title;
      history.replaceState(null, '', url);
    } catch (error) {
      if (error.name !== 'AbortError') shown = '';
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  };
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
}
