/** One answer a web client ended at: its status, address and text. */
export interface Visit {
  status: number;
  url: URL;
  body: string;
}

/**
 * A small web client over real HTTP: cookies kept per origin, redirects followed one by one (each
 * address can be rewritten on the way, as an attacker in the middle would).
 */
export function webClient() {
  const jars = new Map<string, Map<string, string>>();

  async function request(url: URL, init: { method?: string; body?: URLSearchParams } = {}): Promise<Response> {
    const jar = jars.get(url.origin) ?? new Map<string, string>();
    jars.set(url.origin, jar);
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body ? { body: init.body.toString() } : {}),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) jar.delete(name);
      else jar.set(name, pair!.slice(at + 1).trim());
    }
    return response;
  }

  /** Requests `address` and follows its redirects; `rewrite` may change each next address. */
  async function visit(
    address: string | URL,
    options: { method?: string; form?: Record<string, string>; rewrite?: (next: URL) => URL } = {},
  ): Promise<Visit> {
    let url = new URL(address);
    let response = await request(url, {
      ...(options.method ? { method: options.method } : {}),
      ...(options.form ? { method: 'POST', body: new URLSearchParams(options.form) } : {}),
    });
    for (let hops = 0; response.status >= 300 && response.status < 400 && response.headers.has('location'); hops++) {
      if (hops > 20) throw new Error(`too many redirects at ${url.href}`);
      await response.body?.cancel();
      url = new URL(response.headers.get('location')!, url);
      if (options.rewrite) url = options.rewrite(url);
      response = await request(url);
    }
    return { status: response.status, url, body: await response.text() };
  }

  return {
    visit,
    /** Fills in a page's form: the fields given plus its CSRF token, posted to `action`. */
    submit: (page: Visit, action: string, fields: Record<string, string> = {}) =>
      visit(new URL(action, page.url), {
        form: { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '', ...fields },
      }),
  };
}
export type WebClient = ReturnType<typeof webClient>;
