// The knowledge console: lists the collections (GET /knowledge), asks with a pasted ticket (POST /suggest, /similar and,
// when an articles collection exists, /kb/suggest) and shows the FAQ gaps (GET /kb/gaps). Asking needs the predict scope.
// Every value from the service is set as text, never parsed as HTML.
import { el, apiFetch, postJson, askForKeyIfRefused, problemText, rememberKey, showError, tableRows, fixed } from './common.js';

const byId = (id) => document.getElementById(id);
const snippet = (text, length = 280) => !text ? '–' : text.length > length ? `${text.slice(0, length - 1)}…` : text;

/** A link only for http(s) addresses; anything else is shown as text. */
function link(reference) {
  if (!reference) return '–';
  try {
    const url = new URL(reference);
    if (url.protocol === 'http:' || url.protocol === 'https:') return el('a', { href: url.href, textContent: reference, rel: 'noopener noreferrer' });
  } catch {
    // Not an absolute URL: a help-desk reference or a path, shown as text.
  }
  return reference;
}

function fillSelect(select, names, preferred) {
  const previous = select.value;
  select.replaceChildren(...names.map((n) => el('option', { value: n, textContent: n })));
  select.value = names.includes(previous) ? previous : names.includes(preferred) ? preferred : names[0] ?? '';
  select.disabled = names.length === 0;
  if (!names.length) select.append(el('option', { value: '', textContent: 'none' }));
}

/** Answers the parsed JSON, or null after showing the service's reason (problem details) in the given alert. */
async function read(response, errorBox, what) {
  askForKeyIfRefused(response);
  if (response.ok) return response.json();
  showError(errorBox, `Could not ${what}: ${await problemText(response)}`);
  return null;
}

let collections = [];

async function loadCollections() {
  const list = await read(await apiFetch('/knowledge'), byId('error'), 'list the knowledge collections');
  if (!list) return false;
  collections = list;
  byId('collections').tBodies[0].replaceChildren(...tableRows(list.map((c) => [
    c.name, c.kind, c.count.toLocaleString('en'), c.embeddings ? 'yes' : 'no (BM25 only)', c.encoderLanguages.join(', ') || '–', fixed(c.denseWeight, 2), c.tunedOn ?? '–',
  ]), 'No collections yet: fill one with otai index or PUT /knowledge/{collection}/documents.', 7));
  fillSelect(byId('tickets-collection'), list.filter((c) => c.kind === 'tickets').map((c) => c.name), 'tickets');
  fillSelect(byId('articles-collection'), list.filter((c) => c.kind === 'articles').map((c) => c.name), 'articles');
  return true;
}

function renderSuggestion(suggestion) {
  const box = byId('suggestion');
  const confidence = `confidence ${fixed(suggestion.confidence)} (threshold ${fixed(suggestion.threshold)})`;
  const sources = el('ol', { className: 'sources' }, suggestion.sources.map((s) =>
    el('li', {}, [`${s.kind === 'articles' ? 'article' : 'ticket'} ${s.id}${s.title ? ` · ${s.title}` : ''} · ${fixed(s.confidence)}`])));
  box.replaceChildren(
    suggestion.needsReview
      ? el('p', { className: 'warning-text', textContent: `No draft: nothing is close enough (${confidence}). Needs an agent.` })
      : el('p', { className: 'muted', textContent: `Draft for an agent to review, ${confidence}:` }),
    ...(suggestion.draft ? [el('blockquote', { id: 'draft', textContent: suggestion.draft })] : []),
    ...(suggestion.sources.length ? [el('p', { className: 'muted', textContent: 'Sources:' }), sources] : []));
}

async function ask(event) {
  event.preventDefault();
  rememberKey();
  const form = new FormData(byId('ask'));
  const ticket = { subject: form.get('subject'), body: form.get('body') };
  const topK = Number(form.get('topK')) || 5;
  const tickets = form.get('tickets');
  const articles = form.get('articles');
  showError(byId('ask-error'), null);
  byId('ask-status').textContent = 'Searching…';
  document.body.removeAttribute('data-answered');

  const errors = [];
  const note = async (response, what) => {
    askForKeyIfRefused(response);
    if (response.ok) return response.json();
    errors.push(`${what}: ${await problemText(response)}`);
    return null;
  };
  const [suggestion, similar, kb] = await Promise.all([
    postJson('/suggest', ticket).then((r) => note(r, 'suggested reply')),
    tickets ? postJson('/similar', { ...ticket, topK, collection: tickets }).then((r) => note(r, 'similar tickets')) : null,
    articles ? postJson('/kb/suggest', { ...ticket, topK, collection: articles }).then((r) => note(r, 'articles')) : null,
  ]);

  if (suggestion) renderSuggestion(suggestion);
  byId('similar').tBodies[0].replaceChildren(...tableRows((similar?.hits ?? []).map((h) => [
    h.reference ? `${h.id} (${h.reference})` : h.id, fixed(h.score), fixed(h.lexical), fixed(h.cosine), h.queue ?? '–', snippet(h.title, 120), snippet(h.answer), String(h.duplicates),
  ]), tickets ? 'No similar past tickets.' : 'No tickets collection.', 8));
  byId('articles').tBodies[0].replaceChildren(...tableRows((kb?.hits ?? []).map((h) => [
    h.id, fixed(h.score), snippet(h.title, 120), snippet(h.body, 200), link(h.reference),
  ]), articles ? 'No articles found.' : 'No articles collection.', 5));
  showError(byId('ask-error'), errors.length ? `Could not ask: ${errors.join('; ')}` : null);
  byId('ask-status').textContent = similar ? `${similar.hits.length} similar tickets (${similar.mode})${kb ? `, ${kb.hits.length} articles` : ''}.` : '';
  document.body.dataset.answered = 'true';
}

async function loadGaps(event) {
  event?.preventDefault();
  showError(byId('gaps-error'), null);
  document.body.removeAttribute('data-gaps-loaded');
  const days = Number(byId('gap-days').value) || 30;
  const report = await read(await apiFetch(`/kb/gaps?${new URLSearchParams({ days })}`), byId('gaps-error'), 'find FAQ gaps');
  byId('gaps').tBodies[0].replaceChildren(...tableRows((report?.gaps ?? []).map((g) => [
    g.topTerms.join(', ') || '–', String(g.size), g.trend, `${g.earlierHalf} / ${g.laterHalf}`,
    el('ul', { className: 'plain' }, g.representatives.map((r) => el('li', { textContent: `${r.id}${r.title ? ` · ${r.title}` : ''} (best article ${fixed(r.bestArticleConfidence, 2)})` }))),
  ]), report ? `No FAQ gaps in the last ${days} days.` : 'Not loaded.', 5));
  byId('gaps-status').textContent = report
    ? `${report.gaps.length} group${report.gaps.length === 1 ? '' : 's'} of tickets from ${report.since.slice(0, 10)} to ${report.until.slice(0, 10)} that no article answers above ${fixed(report.threshold, 2)}.`
    : '';
  document.body.dataset.gapsLoaded = 'true';
}

async function load() {
  rememberKey();
  showError(byId('error'), null);
  byId('status').textContent = 'Loading…';
  document.body.removeAttribute('data-loaded');
  if (await loadCollections()) {
    byId('status').textContent = `${collections.length} collection${collections.length === 1 ? '' : 's'}.`;
    if (collections.some((c) => c.kind === 'tickets')) await loadGaps();
  } else {
    byId('status').textContent = '';
  }

  document.body.dataset.loaded = 'true';
}

const fail = (box) => (failure) => showError(byId(box), `Something went wrong: ${failure.message}`);
byId('key-form').addEventListener('submit', (event) => { event.preventDefault(); load().catch(fail('error')); });
byId('ask').addEventListener('submit', (event) => ask(event).catch(fail('ask-error')));
byId('gaps-form').addEventListener('submit', (event) => loadGaps(event).catch(fail('gaps-error')));
load().catch(fail('error'));
