// Shared by the dashboard pages: element building (text only, never HTML), the API key of this tab, problem details as text.

/** A new element; props are DOM properties (textContent, className, …), so data is never parsed as HTML. */
export const el = (tag, props = {}, children = []) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
};

const keyName = 'otai-api-key';

/** Keeps a key typed into the page's key field for this tab (session storage only). */
export function rememberKey() {
  const key = document.getElementById('api-key').value.trim();
  if (key) sessionStorage.setItem(keyName, key);
}

/** Outside Development the API needs a key; the one given in this tab is sent with every request. */
export function apiFetch(url, init = {}) {
  const headers = { Accept: 'application/json', ...(init.headers ?? {}) };
  const key = sessionStorage.getItem(keyName);
  if (key) headers['X-Api-Key'] = key;
  return fetch(url, { ...init, headers });
}

/** POST with a JSON body. */
export const postJson = (url, body) => apiFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Shows the key field when the service refused the request for want of a key (401) or a scope (403). */
export function askForKeyIfRefused(response) {
  if (response.status !== 401 && response.status !== 403) return;
  document.getElementById('key-field').hidden = false;
  document.getElementById('api-key').focus();
}

/** A problem+json answer as one line: title, detail and the fields named in errors. */
export async function problemText(response) {
  try {
    const problem = await response.json();
    const fields = problem.errors ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ') : '';
    return [problem.title, problem.detail, fields].filter(Boolean).join(' — ') || `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** Shows text in an alert element, or hides it for null. */
export function showError(element, text) {
  element.textContent = text ?? '';
  element.hidden = text == null;
}

/** A table body's rows from arrays of cells (strings or nodes); the first cell is the row header. */
export function tableRows(rows, emptyText, columns) {
  if (!rows.length) return [el('tr', {}, [el('td', { colSpan: columns, textContent: emptyText })])];
  return rows.map((row) => el('tr', {}, row.map((cell, i) => el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, [cell ?? '–']))));
}

export const fixed = (value, digits = 3) => value == null ? '–' : Number(value).toFixed(digits);
