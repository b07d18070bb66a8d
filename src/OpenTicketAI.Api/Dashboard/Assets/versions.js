// The "Model versions and candidates" section: every version of every model (GET /models/{name}/versions, admin scope),
// the heads each adds or drops against the active one, its shadow verdict, and a Promote button. A promotion that drops
// heads is sent with allowDroppedHeads=true only after the admin ticks a confirmation naming those heads.
import { el, apiFetch, askForKeyIfRefused, problemText, showError } from './common.js';

const section = () => document.getElementById('model-versions');
const status = () => document.getElementById('versions-status');
const errorBox = () => document.getElementById('versions-error');

const confirmId = (model, v) => `confirm-${model}-${v.version}`.replace(/[^A-Za-z0-9_-]/g, '_');
const dateTime = (value) => value ? value.slice(0, 16).replace('T', ' ') : '–';
const state = (v) => v.error ? 'unreadable' : v.isActive ? 'active' : v.isPrevious ? 'previous' : 'candidate';

/** "drops: type, tags" (warning) and "adds: …" for a version against the active one. */
function headChanges(v) {
  if (v.isActive) return el('span', { className: 'muted', textContent: 'serving' });
  const changes = v.againstActive;
  if (!changes) return el('span', { className: 'muted', textContent: '–' });
  const parts = [];
  if (changes.dropped.length) parts.push(el('span', { className: 'heads-dropped', textContent: `drops: ${changes.dropped.join(', ')}` }));
  if (changes.added.length) parts.push(el('span', { className: 'heads-added', textContent: `adds: ${changes.added.join(', ')}` }));
  return parts.length ? el('span', { className: 'head-changes' }, parts) : el('span', { className: 'muted', textContent: 'same heads' });
}

function shadowText(v) {
  if (v.error) return v.error;
  return v.shadow?.summary ?? '–';
}

function confirmation(model, v, dropped, onDone) {
  const id = confirmId(model, v);
  const box = el('input', { type: 'checkbox', id: `${id}-check` });
  const go = el('button', { type: 'button', className: 'danger', textContent: `Promote ${v.version} and drop ${dropped.join(', ')}`, disabled: true });
  const cancel = el('button', { type: 'button', className: 'secondary', textContent: 'Cancel' });
  const panel = el('div', { className: 'confirm', id }, [
    el('p', { className: 'heads-dropped', textContent: `${model} ${v.version} has no ${dropped.join(', ')} head${dropped.length > 1 ? 's' : ''}: once it serves, /predict stops answering ${dropped.length > 1 ? 'them' : 'it'} and every rule or mapping on ${dropped.length > 1 ? 'them' : 'it'} stops firing.` }),
    el('label', { className: 'inline', htmlFor: box.id }, [box, ` I understand: stop answering ${dropped.join(', ')}`]),
    el('div', { className: 'buttons' }, [go, cancel]),
  ]);
  panel.setAttribute('role', 'group');
  panel.setAttribute('aria-label', `Confirm promoting ${model} ${v.version}`);
  box.addEventListener('change', () => { go.disabled = !box.checked; });
  cancel.addEventListener('click', () => { panel.remove(); status().textContent = `Promotion of ${model} ${v.version} cancelled.`; });
  go.addEventListener('click', () => {
    panel.remove();
    promote(model, v, true).then(onDone).catch((failure) => showError(errorBox(), `Could not promote: ${failure.message}`));
  });
  return panel;
}

async function promote(model, v, allowDroppedHeads) {
  showError(errorBox(), null);
  status().textContent = `Promoting ${model} ${v.version}…`;
  const query = allowDroppedHeads ? '?allowDroppedHeads=true' : '';
  const response = await apiFetch(`/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(v.version)}/promote${query}`, { method: 'POST' });
  askForKeyIfRefused(response);
  if (response.ok) {
    const switched = await response.json();
    status().textContent = `${model} now serves ${switched.active} (model version ${switched.servingVersion}).`;
    return true;
  }

  const text = await problemText(response.clone());
  showError(errorBox(), `Could not promote ${model} ${v.version}: ${text}`);
  status().textContent = '';
  // The active version changed since the list was read and the candidate now drops heads: ask again.
  const problem = await response.json().catch(() => ({}));
  if (response.status === 409 && problem.droppedHeads?.length) {
    document.getElementById(`versions-${model}`)?.after(confirmation(model, v, problem.droppedHeads, reload));
  }

  return false;
}

const reload = (changed) => changed ? loadVersions() : undefined;

function promoteButton(model, v) {
  if (v.isActive || v.error) return '';
  const dropped = v.againstActive?.dropped ?? [];
  const button = el('button', { type: 'button', textContent: 'Promote', className: dropped.length ? 'warning' : '' });
  button.setAttribute('aria-label', `Promote ${model} ${v.version}`);
  button.addEventListener('click', () => {
    if (dropped.length) {
      const existing = document.getElementById(confirmId(model, v));
      if (existing) { existing.querySelector('input').focus(); return; }
      const panel = confirmation(model, v, dropped, reload);
      document.getElementById(`versions-${model}`).after(panel);
      panel.querySelector('input').focus();
      return;
    }

    promote(model, v, false).then(reload).catch((failure) => showError(errorBox(), `Could not promote: ${failure.message}`));
  });
  return button;
}

function versionTable(list) {
  const headers = ['Version', 'Model version', 'Created (UTC)', 'State', 'Heads', 'Against the active version', 'Shadow evaluation', ''];
  const table = el('table', { id: `versions-${list.model}`, className: 'versions left' }, [
    el('caption', { textContent: `${list.model}: ${list.active ? `serving ${list.active}` : 'no active version'}${list.previous ? `, previous ${list.previous}` : ''}${list.versioned ? '' : ' (a single, unversioned model directory)'}` }),
    el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { scope: 'col', textContent: h })))]),
    el('tbody', {}, list.versions.map((v) => el('tr', { className: state(v) }, [
      el('th', { scope: 'row', textContent: v.version }),
      el('td', { textContent: v.manifestVersion ?? '–' }),
      el('td', { textContent: dateTime(v.createdAt) }),
      el('td', { textContent: state(v) }),
      el('td', { textContent: v.heads.join(', ') || '–' }),
      el('td', {}, [headChanges(v)]),
      el('td', { textContent: shadowText(v) }),
      el('td', {}, [promoteButton(list.model, v)]),
    ]))),
  ]);
  return el('div', { className: 'table-wrap' }, [table]);
}

/** Reads GET /models, then each model's versions; a key without the admin scope gets the service's reason as text. */
export async function loadVersions() {
  document.body.removeAttribute('data-versions-loaded');
  const models = await apiFetch('/models');
  askForKeyIfRefused(models);
  if (!models.ok) {
    section().replaceChildren();
    showError(errorBox(), `Model versions need a key with the admin scope. ${await problemText(models)}`);
    document.body.dataset.versionsLoaded = 'true';
    return;
  }

  const names = (await models.json()).models.map((m) => m.name);
  const lists = [];
  const problems = [];
  for (const name of names) {
    const response = await apiFetch(`/models/${encodeURIComponent(name)}/versions`);
    askForKeyIfRefused(response);
    if (response.ok) lists.push(await response.json());
    else problems.push(`${name}: ${await problemText(response)}`);
  }

  section().replaceChildren(...lists.map(versionTable));
  showError(errorBox(), problems.length ? `Could not list the versions of ${problems.join('; ')}` : null);
  const candidates = lists.flatMap((l) => l.versions).filter((v) => !v.isActive && !v.error);
  const dropping = candidates.filter((v) => v.againstActive?.dropped.length).length;
  status().textContent = lists.length
    ? `${lists.length} model${lists.length > 1 ? 's' : ''}, ${candidates.length} other version${candidates.length === 1 ? '' : 's'}${dropping ? `, ${dropping} dropping heads the active version answers` : ''}.`
    : '';
  document.body.dataset.versionsLoaded = 'true';
}
